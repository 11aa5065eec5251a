/** Colour only for a terminal, and never when NO_COLOR is set to anything (no-color.org). */
export function wantsColour(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

export type Paint = (status: string, text?: string) => string;

const CODES: Record<string, number> = { passed: 32, failed: 31, error: 31, skipped: 33, warn: 33 };

/** Paints a status word (or the given text in its colour); a no-op without colour. */
export function painter(colour: boolean): Paint {
  return (status, text = status) => {
    const code = CODES[status];
    return colour && code ? `\u001b[${code}m${text}\u001b[0m` : text;
  };
}
