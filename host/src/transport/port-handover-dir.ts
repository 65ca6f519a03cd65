import { chmodSync, lstatSync, mkdirSync, realpathSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { UserError } from '../errors.js';
import { handoverDir, handoverKey, handoverLimits, handoverSocketPath } from './port-handover.js';

const unsafeHint = 'remove that folder (it is made again, private to you), or set XDG_RUNTIME_DIR to a folder only you can use';

/**
 * The handover socket path for a port on this machine, or undefined where there is none
 * (Windows; `create: false` and the folder does not exist yet, so no monitor listens).
 * `create` makes the per-user folder (mode 0700). The folder must be a real directory owned by
 * this user and closed to others, or anyone could make a monitor let go of its port:
 * otherwise `handover.unsafe-dir`. Also throws `handover.path-too-long` and a bad port name's error.
 */
export function handoverSocketFor(portName: string, o: { create: boolean; env?: NodeJS.ProcessEnv }): string | undefined {
  const uid = process.getuid?.();
  const dir = handoverDir({ env: o.env ?? process.env, uid, tmpdir: tmpdir() });
  if (dir === undefined || uid === undefined) return undefined;
  const key = handoverKey(portName, (p) => realpathSync.native(p));
  const max = process.platform === 'linux' ? handoverLimits.maxSocketPathBytes.linux : handoverLimits.maxSocketPathBytes.other;
  const path = handoverSocketPath(dir, key, max);
  if (o.create) mkdirSync(dir, { recursive: true, mode: 0o700 });
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch (e) {
    if (!o.create && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError('handover.unsafe-dir', `cannot use the handover folder ${dir}: ${(e as Error).message}`, unsafeHint, 2, { cause: e });
  }
  const why = !st.isDirectory() ? 'it is not a folder' : st.uid !== uid ? `it belongs to user ${st.uid}` : undefined;
  if (why) throw new UserError('handover.unsafe-dir', `the handover folder ${dir} cannot be trusted: ${why}`, unsafeHint);
  if ((st.mode & 0o077) !== 0) {
    if (!o.create) throw new UserError('handover.unsafe-dir', `the handover folder ${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)})`, unsafeHint);
    chmodSync(dir, 0o700);
  }
  return path;
}
