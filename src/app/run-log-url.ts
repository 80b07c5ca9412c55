/** Where the web UI shows a job's whole log; undefined when tfgate has no public URL. */
export function runLogUrl(publicUrl: string | null, jobId: string): string | undefined {
  return publicUrl ? `${publicUrl.replace(/\/+$/, "")}/ui/runs/${jobId}` : undefined;
}
