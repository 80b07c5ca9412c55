import { constants } from "node:fs";
import { open } from "node:fs/promises";

export type RegularFileResult = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly message: string };

/**
 * Reads a file a sandboxed step may have written, as tfgate (outside the sandbox): a symbolic link
 * there would point at tfgate's own files (the database, the App key), so links are not followed
 * (O_NOFOLLOW) and anything but a regular file is refused. O_NONBLOCK keeps a FIFO from hanging us.
 * A size limit keeps a sparse file of a terabyte (no disk used) from filling tfgate's memory.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<RegularFileResult> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, message: code === "ELOOP" ? `${path} is a symbolic link` : code === "ENOENT" ? `${path} does not exist` : `${path}: ${code ?? String(err)}` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, message: `${path} is not a regular file` };
    if (info.size > maxBytes) return { ok: false, message: `${path} is ${info.size} bytes, over the limit of ${maxBytes}` };
    return { ok: true, bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}
