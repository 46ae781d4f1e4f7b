/**
 * Whether parsed JSON nests deeper than `max` objects/arrays. Iterative: a 100,000-deep value
 * (which JSON.parse accepts) would overflow the stack of any recursive walk, JSON.stringify and
 * structuredClone included, so it is refused before anything else touches it.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
