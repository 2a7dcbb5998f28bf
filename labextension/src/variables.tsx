/**
 * The sidebar's "Variables" section: the server's variables (named JSON values that flows read
 * with `Variable.get`), with add, edit and delete. A value typed here is read as JSON when it is
 * JSON (`3`, `[1, 2]`, `{"a": 1}`, `true`), else kept as text, as `orchestr-lab variables set` does.
 * A refused change shows the server's own message.
 */
import { ServerConnection } from '@jupyterlab/services';
import * as React from 'react';

import { ActionButton, Message } from './components';
import type { components } from './openapi';
import { requestAPI } from './request';

export type Variable = Required<components['schemas']['VariableRead']>;

/** A typed value: JSON when it parses, else the text itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A value as it is edited: text as is, anything else as JSON. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function TextInput(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
}): JSX.Element {
  return (
    <input
      className="jp-mod-styled"
      placeholder={props.placeholder}
      aria-label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
    />
  );
}

export function VariablesSection(props: { settings: ServerConnection.ISettings }): JSX.Element {
  const { settings } = props;
  const [items, setItems] = React.useState<Variable[]>([]);
  const [error, setError] = React.useState('');
  const [editing, setEditing] = React.useState<string | null>(null);
  const [draft, setDraft] = React.useState('');
  const [newName, setNewName] = React.useState('');
  const [newValue, setNewValue] = React.useState('');
  const [open, setOpen] = React.useState(true);

  const load = React.useCallback(async () => {
    try {
      setItems(await requestAPI<Variable[]>(settings, ['variables']));
    } catch (e) {
      setError(errorText(e));
    }
  }, [settings]);

  React.useEffect(() => {
    void load();
  }, [load]);

  /** Run a change; on success reload the list, on refusal show the server's message. */
  const act = async (change: () => Promise<unknown>, after?: () => void): Promise<void> => {
    try {
      await change();
      setError('');
      after?.();
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const add = (): Promise<void> =>
    act(
      () =>
        requestAPI(settings, ['variables'], {
          method: 'POST',
          body: { name: newName.trim(), value: parseValue(newValue) }
        }),
      () => {
        setNewName('');
        setNewValue('');
      }
    );
  const save = (name: string): Promise<void> =>
    act(
      () => requestAPI(settings, ['variables', name], { method: 'PATCH', body: { value: parseValue(draft) } }),
      () => setEditing(null)
    );
  const remove = (name: string): Promise<void> =>
    act(() => requestAPI(settings, ['variables', name], { method: 'DELETE' }));

  return (
    <section className="orchestr-lab-section orchestr-lab-variables">
      <h3 className="orchestr-lab-variables-title" onClick={() => setOpen(!open)} title="Show or hide the variables">
        {open ? '▾' : '▸'} Variables ({items.length})
      </h3>
      {open && (
        <ActionButton label="↻" title="Reload the variables" action="reload-variables" onClick={() => void load()} />
      )}
      {open && (
        <>
          <Message text={error} />
          {items.length === 0 ? (
            <p className="orchestr-lab-empty">No variables yet. Flows read them with Variable.get("name").</p>
          ) : (
            <ul className="orchestr-lab-variable-list">
              {items.map(item => (
                <li key={item.name} className="orchestr-lab-variable" data-variable={item.name}>
                  <span className="orchestr-lab-variable-name">{item.name}</span>
                  {editing === item.name ? (
                    <>
                      <input
                        className="jp-mod-styled orchestr-lab-variable-edit"
                        aria-label={`Value of ${item.name}`}
                        value={draft}
                        onChange={event => setDraft(event.target.value)}
                        onKeyDown={event => {
                          if (event.key === 'Enter') {
                            void save(item.name);
                          }
                        }}
                      />
                      <ActionButton label="Save" accept action="save-variable" onClick={() => void save(item.name)} />
                      <ActionButton label="Cancel" action="cancel-variable" onClick={() => setEditing(null)} />
                    </>
                  ) : (
                    <>
                      <code className="orchestr-lab-variable-value" title={valueText(item.value)}>
                        {valueText(item.value)}
                      </code>
                      <ActionButton
                        label="Edit"
                        action="edit-variable"
                        onClick={() => {
                          setEditing(item.name);
                          setDraft(valueText(item.value));
                        }}
                      />
                      <ActionButton label="Delete" action="delete-variable" onClick={() => void remove(item.name)} />
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          <div className="orchestr-lab-variable-add">
            <TextInput placeholder="name" label="New variable name" value={newName} onChange={setNewName} />
            <TextInput
              placeholder="value (JSON or text)"
              label="New variable value"
              value={newValue}
              onChange={setNewValue}
            />
            <ActionButton
              label="Add"
              accept
              action="add-variable"
              disabled={!newName.trim()}
              onClick={() => void add()}
            />
          </div>
        </>
      )}
    </section>
  );
}
