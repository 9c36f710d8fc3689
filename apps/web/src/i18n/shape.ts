/**
 * The dictionary's shape: Bahasa Indonesia is the source, every other language must have exactly its keys, with a
 * string where it has a string and a function of the same parameters where it has a function (plurals, numbers).
 */
export type Message = string | ((...args: never[]) => string);
export interface MessageTree {
  readonly [key: string]: Message | MessageTree;
}

export type Shape<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : T[K] extends (...args: infer A) => string ? (...args: A) => string : Shape<T[K]>;
};

/** A feature's messages: `id` first, then `en` checked against it (a missing or extra key does not compile). */
export const defineMessages = <T extends MessageTree>(id: T, en: Shape<T>): { id: T; en: Shape<T> } => ({ id, en });
