// Archive targets (R-30: archives on at least two media): directories, the first under DATA_DIR, the others
// from ARCHIVE_DIRS (a mounted disk, a network share). Every write lands under a temporary name and is renamed
// into place, so a reader never sees half an archive or half a file.
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

export interface ArchiveFile {
  name: string;
  bytes: Buffer;
}

/** Where archives, anchors and backups are kept. A directory today; an object store could be another kind. */
export interface ArchiveTarget {
  /** For people: "dir:/srv/classbook/archive". */
  name: string;
  /** Writes a whole directory of files at once (temp directory, then rename); refuses to replace one. */
  writeDirectory(dir: string, files: ArchiveFile[]): Promise<void>;
  /** Writes or replaces one file (temp name, then rename). */
  writeFile(file: string, bytes: Buffer): Promise<void>;
  /** Copies a local file in (temp name, then rename): large files such as backups. */
  copyIn(file: string, source: string): Promise<void>;
  /** The file's bytes, or null when it is not there. */
  readFile(file: string): Promise<Buffer | null>;
  /** Names in a directory (files and directories), sorted; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** Removes a file or a directory with everything in it. */
  remove(entry: string): Promise<void>;
  /** The path on disk a tool like pg_dump can write to (temp) and the final path of `file`. */
  localPaths(file: string): { temp: string; final: string };
}

// Names come from our own code ("school-1/2025-2026/quarter-1"), but never let one climb out of the root.
function inside(root: string, rel: string): string {
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`path outside the archive target: ${rel}`);
  return full;
}

const tempName = (full: string) =>
  path.join(path.dirname(full), `.tmp-${path.basename(full)}-${randomBytes(4).toString("hex")}`);

export function directoryTarget(root: string): ArchiveTarget {
  const base = path.resolve(root);
  return {
    name: `dir:${base}`,
    async writeDirectory(dir, files) {
      const final = inside(base, dir);
      const temp = tempName(final);
      await mkdir(temp, { recursive: true });
      try {
        for (const f of files) await writeFile(inside(temp, f.name), f.bytes);
        const exists = await stat(final).then(
          () => true,
          () => false,
        );
        if (exists) throw new Error(`archive already exists on ${base}: ${dir}`);
        await rename(temp, final);
      } catch (err) {
        await rm(temp, { recursive: true, force: true });
        throw err;
      }
    },
    async writeFile(file, bytes) {
      const final = inside(base, file);
      await mkdir(path.dirname(final), { recursive: true });
      const temp = tempName(final);
      await writeFile(temp, bytes);
      await rename(temp, final);
    },
    async copyIn(file, source) {
      const final = inside(base, file);
      await mkdir(path.dirname(final), { recursive: true });
      const temp = tempName(final);
      try {
        await copyFile(source, temp);
        await rename(temp, final);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async readFile(file) {
      try {
        return await readFile(inside(base, file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
      }
    },
    async list(dir) {
      try {
        return (await readdir(inside(base, dir))).filter((n) => !n.startsWith(".tmp-")).sort();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw err;
      }
    },
    async remove(entry) {
      await rm(inside(base, entry), { recursive: true, force: true });
    },
    localPaths(file) {
      const final = inside(base, file);
      return { temp: tempName(final), final };
    },
  };
}

export function archiveTargets(dirs: string[]): ArchiveTarget[] {
  return [...new Set(dirs.map((d) => path.resolve(d)))].map(directoryTarget);
}
