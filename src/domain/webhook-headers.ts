// Delivery ids are GUIDs today; accept any short printable id so a format change does not stop
// webhooks, but refuse what cannot have come from a header.
export const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;
// X-GitHub-Event values: "pull_request", "issue_comment", ...
export const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
