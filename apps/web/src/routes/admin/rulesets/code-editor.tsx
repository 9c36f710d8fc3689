import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, foldGutter, indentOnInput } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { pointerRange } from './json-tree';
import { schemaHelp } from './schema-help';

/** One problem in the document, at a JSON pointer (the API's validation) or at a text offset (a syntax error). */
export interface DocProblem {
  pointer?: string;
  at?: number;
  message: string;
}

/** What the page can ask of the editor: show a pointer's place (an error in the list, clicked). */
export interface EditorHandle {
  /** selects the text the pointer names, scrolls it into view and focuses the editor */
  reveal(pointer: string): void;
}

/**
 * The rule-set document in CodeMirror 6: JSON with schema completion and hover, and each problem underlined at the
 * place its pointer names (lint diagnostics). The text is the editor's own; `value` replaces it only when it differs
 * (a form or a reload changed the document), so typing never fights a re-render.
 */
export function CodeEditor({
  value,
  onChange,
  problems,
  label,
  readOnly = false,
  ref,
}: {
  value: string;
  onChange?: (text: string) => void;
  problems: readonly DocProblem[];
  label: string;
  readOnly?: boolean;
  ref?: Ref<EditorHandle>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          foldGutter(),
          lintGutter(),
          history(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          json(),
          schemaHelp,
          EditorState.readOnly.of(readOnly),
          // tabindex: the editable content is the scroller's keyboard stop, which axe only counts when it is explicit
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', 'aria-readonly': String(readOnly), role: 'textbox', tabindex: '0' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // the editor is made once; value and problems reach it through the effects below
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readOnly, label]);

  useImperativeHandle(
    ref,
    () => ({
      reveal(pointer) {
        const v = view.current;
        if (!v) return;
        const { from, to } = pointerRange(v.state, pointer);
        v.dispatch({ selection: { anchor: from, head: to }, effects: EditorView.scrollIntoView(from, { y: 'center' }) });
        v.focus();
      },
    }),
    [],
  );

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const diagnostics: Diagnostic[] = problems.map((p) => {
      const range =
        p.pointer !== undefined
          ? pointerRange(v.state, p.pointer)
          : { from: Math.min(p.at ?? 0, v.state.doc.length), to: Math.min((p.at ?? 0) + 1, v.state.doc.length) };
      return { ...range, severity: 'error', message: p.pointer ? `${p.pointer}: ${p.message}` : p.message };
    });
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [problems, value]);

  return <div className="rs-editor" ref={host} />;
}
