/**
 * Small shared pieces of the sidebar's views.
 */
import * as React from 'react';

import { State } from './api';

/** A run state as a coloured chip; `data-state` is the state type (a stable hook, see the README). */
export function StateChip(props: { state?: State | null }): JSX.Element {
  const state = props.state;
  if (!state) {
    return <span className="orchestr-lab-chip">—</span>;
  }
  const label = state.name && state.name.toUpperCase() !== state.type ? `${state.name}` : state.type;
  return (
    <span
      className={`orchestr-lab-chip orchestr-lab-chip-${state.type.toLowerCase()}`}
      data-state={state.type}
      title={state.message ?? state.type}
    >
      {label}
    </span>
  );
}

/** A message line: an error (red) or a notice. */
export function Message(props: { text: string; kind?: 'error' | 'info' }): JSX.Element | null {
  if (!props.text) {
    return null;
  }
  return (
    <div className={`orchestr-lab-message orchestr-lab-message-${props.kind ?? 'error'}`} role="alert">
      {props.text}
    </div>
  );
}

/** A small text button in JupyterLab's style. */
export function ActionButton(props: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  title?: string;
  accept?: boolean;
  /** A stable `data-action` hook for tests, independent of the label's wording. */
  action?: string;
}): JSX.Element {
  return (
    <button
      type="button"
      className={`jp-Button jp-mod-styled orchestr-lab-button ${props.accept ? 'jp-mod-accept' : 'jp-mod-reject'}`}
      onClick={event => {
        event.stopPropagation();
        props.onClick();
      }}
      disabled={props.disabled}
      title={props.title ?? props.label}
      data-action={props.action}
    >
      {props.label}
    </button>
  );
}
