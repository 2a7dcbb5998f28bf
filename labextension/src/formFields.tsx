/**
 * Labelled form fields that show the server's message for them underneath.
 */
import * as React from 'react';

import { FieldErrors } from './scheduleFormModel';

/** The server's message about `field`, if any (`data-field` names the field, for tests). */
export function FieldError(props: { errors: FieldErrors; field: string }): JSX.Element | null {
  const message = props.errors[props.field];
  return message ? (
    <div className="orchestr-lab-field-error" data-field={props.field} role="alert">
      {message}
    </div>
  ) : null;
}

/** A labelled text box with a suggestion list and the server's error for it underneath. */
export function TextField(props: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  errors: FieldErrors;
  type?: 'text' | 'number';
  min?: number;
  placeholder?: string;
  suggestions?: string[];
}): JSX.Element {
  const listId = props.suggestions ? `orchestr-lab-${props.name}-choices` : undefined;
  return (
    <label className="orchestr-lab-field">
      <span>{props.label}</span>
      <input
        className="jp-mod-styled"
        name={props.name}
        type={props.type ?? 'text'}
        min={props.min}
        list={listId}
        placeholder={props.placeholder}
        value={props.value}
        onChange={e => props.onChange(e.target.value)}
      />
      {props.suggestions ? (
        <datalist id={listId}>
          {props.suggestions.map(v => (
            <option key={v} value={v} />
          ))}
        </datalist>
      ) : null}
      <FieldError errors={props.errors} field={props.name} />
    </label>
  );
}
