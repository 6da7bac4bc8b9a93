import { useCallback, useState } from "react";

/**
 * Keyset pages go forward by cursor only; going back means remembering the cursors that led
 * here. The stack's top is the `after` of the page on screen (null: the first page).
 */
export interface CursorStack {
  cursors: readonly (string | null)[];
}

export const FIRST_PAGE: CursorStack = { cursors: [null] };

export function current(stack: CursorStack): string | null {
  return stack.cursors[stack.cursors.length - 1] ?? null;
}

export function forward(stack: CursorStack, next: string | null | undefined): CursorStack {
  return next ? { cursors: [...stack.cursors, next] } : stack;
}

export function back(stack: CursorStack): CursorStack {
  return stack.cursors.length > 1 ? { cursors: stack.cursors.slice(0, -1) } : stack;
}

export function useCursorStack() {
  const [stack, setStack] = useState<CursorStack>(FIRST_PAGE);
  return {
    after: current(stack),
    page: stack.cursors.length,
    canGoBack: stack.cursors.length > 1,
    next: useCallback((cursor: string | null | undefined) => setStack((s) => forward(s, cursor)), []),
    previous: useCallback(() => setStack(back), []),
    reset: useCallback(() => setStack(FIRST_PAGE), []),
  };
}
