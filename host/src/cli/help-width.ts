/**
 * The width every help is wrapped to, whatever the terminal: 80 columns reads well, is the same
 * in a terminal, a pipe and docs/cli.md, and lets `--help` print the text stored at build time
 * (stored-help.ts) without loading the command tree. (Commander stops wrapping altogether below
 * about 75 columns, so following a narrower terminal would not help it.)
 */
export const helpWidth = 80;
