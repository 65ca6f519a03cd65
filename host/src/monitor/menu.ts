/** What a key press asks the monitor to do. */
export type MenuAction =
  | { type: 'send'; bytes: Uint8Array }
  | { type: 'exit' }
  | { type: 'reset' }
  | { type: 'bootloader' }
  | { type: 'toggle-timestamps' }
  | { type: 'toggle-log' }
  | { type: 'toggle-hex' }
  | { type: 'help' }
  | { type: 'unknown-menu-key'; key: number };

/** Control keys (esp-idf-monitor's defaults: Ctrl+] exit, Ctrl+T menu). */
export const keys = { exit: 0x1d, interrupt: 0x03, menu: 0x14 } as const;

const ctrl = (c: string) => c.toUpperCase().charCodeAt(0) - 0x40;

/**
 * Keys after Ctrl+T, each as a letter or its Ctrl form (idf-monitor binds the Ctrl forms;
 * letters are easier to type). Table: key → action.
 */
export const menuTable: ReadonlyArray<{ keys: string; action: MenuAction['type']; help: string }> = [
  { keys: 'r', action: 'reset', help: 'reset the board (EN pulse via RTS)' },
  { keys: 'p', action: 'bootloader', help: 'reset into the bootloader (download mode)' },
  { keys: 'i', action: 'toggle-timestamps', help: 'timestamps on/off' },
  { keys: 'l', action: 'toggle-log', help: 'logging to the file on/off' },
  { keys: 'a', action: 'toggle-hex', help: 'hex view on/off' },
  { keys: 'h', action: 'help', help: 'this help' },
  { keys: 'x', action: 'exit', help: 'exit' },
];

/** Help text for the menu. */
export function menuHelp(): string {
  const rows = menuTable.map((m) => `  Ctrl+T ${m.keys} (or Ctrl+${m.keys.toUpperCase()})  ${m.help}`);
  return ['--- esp-sse monitor keys: Ctrl+] or Ctrl+C exit, Ctrl+T then:', ...rows, '  Ctrl+T Ctrl+T / Ctrl+]  send that key to the board'].join('\n');
}

/**
 * Keyboard state machine: `feed(bytes) → actions[]`. Ordinary bytes are sent to the board;
 * Ctrl+] and Ctrl+C exit; Ctrl+T arms the menu and the next key picks an action (Ctrl+T or
 * Ctrl+] after Ctrl+T sends that key literally). Pure, so it is tested without a terminal.
 */
export class MenuKeys {
  private armed = false;

  get menuArmed(): boolean {
    return this.armed;
  }

  feed(bytes: Uint8Array): MenuAction[] {
    const actions: MenuAction[] = [];
    let pending: number[] = [];
    const flush = () => {
      if (pending.length > 0) actions.push({ type: 'send', bytes: Uint8Array.from(pending) });
      pending = [];
    };
    for (const b of bytes) {
      if (this.armed) {
        this.armed = false;
        if (b === keys.menu || b === keys.exit) {
          pending.push(b);
          continue;
        }
        flush();
        actions.push(this.menuKey(b));
        continue;
      }
      if (b === keys.exit || b === keys.interrupt) {
        flush();
        actions.push({ type: 'exit' });
        continue;
      }
      if (b === keys.menu) {
        this.armed = true;
        continue;
      }
      pending.push(b);
    }
    flush();
    return actions;
  }

  private menuKey(b: number): MenuAction {
    for (const m of menuTable) {
      const letter = m.keys.charCodeAt(0);
      if (b === letter || b === letter - 0x20 || b === ctrl(m.keys)) return { type: m.action } as MenuAction;
    }
    return { type: 'unknown-menu-key', key: b };
  }
}
