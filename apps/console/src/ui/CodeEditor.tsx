import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { Compartment, EditorState, Prec, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import './code-editor.css';

export interface EditorMark {
  /** Offsets into the text (UTF-16); `to` defaults to the end of the token at `from`. */
  from: number;
  to?: number;
  message: string;
}

interface Props {
  value: string;
  onChange: (value: string) => void;
  /** The accessible name of the editing area. */
  label: string;
  /** Language support (@codemirror/lang-sql, a legacy mode, ...). */
  language?: Extension;
  /** Errors to underline; the cursor moves to the first one. */
  marks?: readonly EditorMark[];
  /** Ctrl/Cmd-Enter. */
  onRun?: () => void;
  readOnly?: boolean;
  minHeight?: string;
}

/** Where a mark without `to` ends: the end of the word at `from`, at least one character. */
function markEnd(text: string, from: number): number {
  const word = /^[\p{L}\p{N}_:#@./-]+/u.exec(text.slice(from, from + 200));
  return Math.min(text.length, from + Math.max(word?.[0].length ?? 1, 1));
}

/**
 * A CodeMirror 6 editor as a controlled React input. The view is created once; value, language,
 * read-only state and marks are pushed into it as transactions, so typing never re-creates it.
 */
export function CodeEditor({
  value,
  onChange,
  label,
  language,
  marks,
  onRun,
  readOnly = false,
  minHeight = '10rem',
}: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };
  const compartments = useRef({ language: new Compartment(), readOnly: new Compartment() });

  useEffect(() => {
    const { language: lang, readOnly: ro } = compartments.current;
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: () => {
                  callbacks.current.onRun?.();
                  return callbacks.current.onRun !== undefined;
                },
              },
            ]),
          ),
          basicSetup,
          lang.of(language ?? []),
          ro.of(EditorState.readOnly.of(readOnly)),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
          EditorView.theme({ '&': { minHeight }, '.cm-scroller': { minHeight } }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Created once on purpose: later prop changes go through the effects below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.current.language.reconfigure(language ?? []) });
  }, [language]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.current.readOnly.reconfigure(EditorState.readOnly.of(readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const text = editor.state.doc.toString();
    const diagnostics: Diagnostic[] = (marks ?? []).map((mark) => {
      const from = Math.min(Math.max(mark.from, 0), text.length);
      const to = Math.min(Math.max(mark.to ?? markEnd(text, from), from), text.length);
      return { from, to, severity: 'error', message: mark.message };
    });
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
    const first = diagnostics[0];
    if (first) editor.dispatch({ selection: { anchor: first.from }, scrollIntoView: true });
  }, [marks]);

  return <div className="code-editor" ref={host} />;
}
