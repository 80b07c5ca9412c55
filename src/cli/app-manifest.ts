import { readFile } from "node:fs/promises";
import { z } from "zod";

/**
 * The GitHub App manifest (github-app-manifest.json at the repository root): what `tfgate setup`
 * posts to GitHub. Only the fields GitHub's manifest flow documents are checked; any other field
 * is kept as written, so an operator's addition is not dropped silently.
 */
const manifestSchema = z.looseObject({
  // GitHub limits app names to 34 characters; the person creating the app may rename it.
  name: z.string().min(1).max(34),
  description: z.string().optional(),
  url: z.url(),
  hook_attributes: z.looseObject({ url: z.url(), active: z.boolean().optional() }),
  redirect_url: z.url(),
  public: z.boolean(),
  default_permissions: z.record(z.string(), z.enum(["read", "write", "admin"])),
  default_events: z.array(z.string().min(1)),
});

export type AppManifest = z.infer<typeof manifestSchema>;

export type AppManifestResult = { readonly ok: true; readonly manifest: AppManifest } | { readonly ok: false; readonly problem: string };

export async function loadAppManifest(path: string): Promise<AppManifestResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    return { ok: false, problem: `cannot read the app manifest ${path}: ${(err as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `${path} is not valid JSON: ${(err as Error).message}` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    return { ok: false, problem: `${path} is not a GitHub App manifest: ${first}` };
  }
  return { ok: true, manifest: parsed.data };
}

export interface ManifestUrls {
  /** Where tfgate is reachable, without a trailing slash. */
  readonly publicUrl: string;
  /** Where GitHub sends the browser back with the one-time code. */
  readonly redirectUrl: string;
}

/** The committed manifest with this installation's URLs in place of the placeholders. */
export function fillAppManifest(manifest: AppManifest, urls: ManifestUrls): AppManifest {
  return {
    ...manifest,
    url: urls.publicUrl,
    hook_attributes: { ...manifest.hook_attributes, url: `${urls.publicUrl}/webhooks` },
    redirect_url: urls.redirectUrl,
  };
}
