import { syntaxTree } from '@codemirror/language';
import type { EditorState } from '@codemirror/state';
import type { SyntaxNode } from '@lezer/common';

/**
 * The JSON text in the editor read through its syntax tree (@lezer/json): where a JSON pointer is in the text, and
 * which pointer the cursor is at. The tree survives a half-typed document, so both work while the text does not parse.
 */

const VALUE_NODES = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');
const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const pointerOf = (segments: readonly string[]) => segments.map((s) => `/${escape(s)}`).join('');

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}
const keyOf = (state: EditorState, name: SyntaxNode) => {
  const raw = state.sliceDoc(name.from, name.to);
  try {
    return String(JSON.parse(raw));
  } catch {
    return raw.replace(/^"|"$/g, '');
  }
};
const valueOf = (property: SyntaxNode) => children(property).find((c) => VALUE_NODES.has(c.name)) ?? null;

/**
 * The text range a pointer names: the value at the pointer; a missing member marks its parent (the rule or object the
 * error is about). An empty pointer is the whole document.
 */
export function pointerRange(state: EditorState, pointer: string): { from: number; to: number } {
  const top = syntaxTree(state).topNode;
  let node: SyntaxNode | null = children(top).find((c) => VALUE_NODES.has(c.name)) ?? null;
  if (!node) return { from: 0, to: Math.min(1, state.doc.length) };
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescape);
  for (const seg of segments) {
    let next: SyntaxNode | null = null;
    if (node.name === 'Object') {
      const prop: SyntaxNode | undefined = children(node).find(
        (p) => p.name === 'Property' && p.firstChild?.name === 'PropertyName' && keyOf(state, p.firstChild) === seg,
      );
      next = prop ? valueOf(prop) : null;
    } else if (node.name === 'Array') {
      next = children(node).filter((c) => VALUE_NODES.has(c.name))[Number(seg)] ?? null;
    }
    if (!next) break;
    node = next;
  }
  return { from: node.from, to: node.to };
}

/** Where the cursor is: the pointer of the innermost value around it, and whether it is typing a member's name. */
export function pathAt(state: EditorState, pos: number): { segments: string[]; inKey: boolean } {
  let node: SyntaxNode | null = syntaxTree(state).resolveInner(pos, -1);
  const segments: string[] = [];
  let inKey = false;
  if (node.name === 'PropertyName') inKey = true;
  // the cursor in an object's braces but outside a value: a new member's name
  if (node.name === 'Object' || node.name === '{' || node.name === ',') inKey = node.name !== ',' || node.parent?.name === 'Object';
  for (let child: SyntaxNode | null = null; node; child = node, node = node.parent) {
    if (node.name === 'Property' && child && child.name !== 'PropertyName') {
      const name = node.firstChild;
      if (name?.name === 'PropertyName') segments.unshift(keyOf(state, name));
    } else if (node.name === 'Property' && child?.name === 'PropertyName' && !inKey) {
      inKey = true;
    } else if (node.name === 'Array' && child && VALUE_NODES.has(child.name)) {
      segments.unshift(
        String(
          children(node)
            .filter((c) => VALUE_NODES.has(c.name))
            .indexOf(child),
        ),
      );
    }
  }
  return { segments, inKey };
}
