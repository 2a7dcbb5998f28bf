/**
 * A PAUSED run's question in its detail: the form built from the JSON schema it waits with
 * (`GET flow_runs/{id}/input_schema`), sent back as `POST flow_runs/{id}/resume`. The server
 * checks the answer; a refusal names `run_input.<field>` and is shown under that field, and the
 * run stays paused. A pause that waits for no input gets just a Resume button.
 */
import * as React from 'react';

import { FlowRun } from './api';
import { markdown } from './artifacts';
import { ActionButton, Message } from './components';
import { FieldError } from './formFields';
import { OrchestrModel } from './model';
import { ApiError, IFieldProblem, requestAPI } from './request';
import { FieldErrors } from './scheduleFormModel';

type JsonSchema = Record<string, any>;

interface IQuestion {
  key: string;
  run_input_schema: JsonSchema;
  description?: string | null;
}

/** One property of the input, as the form shows it. */
export interface IPauseField {
  name: string;
  label: string;
  kind: 'enum' | 'boolean' | 'integer' | 'number' | 'string' | 'json';
  choices: unknown[];
  initial: string | boolean;
  description: string;
  required: boolean;
}

/** A property with a local `$ref` (an Enum), a single `allOf` and an Optional's null branch folded in. */
function resolved(schema: JsonSchema, prop: JsonSchema): JsonSchema {
  const { anyOf, allOf, $ref, ...rest } = prop;
  let out: JsonSchema = rest;
  const options = Array.isArray(anyOf) ? anyOf.filter((p: JsonSchema) => p?.type !== 'null') : [];
  if (options.length === 1) {
    out = { ...resolved(schema, options[0]), ...out };
  }
  if (Array.isArray(allOf) && allOf.length === 1) {
    out = { ...resolved(schema, allOf[0]), ...out };
  }
  if (typeof $ref === 'string' && $ref.startsWith('#/$defs/')) {
    out = { ...(schema.$defs?.[$ref.slice('#/$defs/'.length)] ?? {}), ...out };
  }
  return out;
}

/** The form's fields, in the schema's order. */
export function pauseFields(schema: JsonSchema): IPauseField[] {
  const required: string[] = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([name, raw]) => {
    const prop = resolved(schema, raw ?? {});
    const type = typeof prop.type === 'string' ? prop.type : 'string';
    const choices: unknown[] = Array.isArray(prop.enum) ? prop.enum : [];
    const kind: IPauseField['kind'] = choices.length
      ? 'enum'
      : ['boolean', 'integer', 'number', 'string'].includes(type)
        ? (type as IPauseField['kind'])
        : 'json';
    const value = prop.default;
    let initial: string | boolean;
    if (kind === 'boolean') {
      initial = value === true;
    } else if (kind === 'enum') {
      const index = choices.findIndex(c => JSON.stringify(c) === JSON.stringify(value));
      initial = index >= 0 ? String(index) : required.includes(name) ? '0' : '';
    } else if (value === undefined || value === null) {
      initial = '';
    } else {
      initial = kind === 'string' ? String(value) : JSON.stringify(value);
    }
    return {
      name,
      label: String(prop.title ?? name),
      kind,
      choices,
      initial,
      description: typeof prop.description === 'string' ? prop.description : '',
      required: required.includes(name)
    };
  });
}

/** What the boxes hold, as the JSON the schema checks (empty boxes left out: defaults apply). */
export function pauseInput(fields: IPauseField[], values: Record<string, string | boolean>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'boolean') {
      input[field.name] = value === true;
    } else if (typeof value !== 'string' || value.trim() === '') {
      continue;
    } else if (field.kind === 'enum') {
      input[field.name] = field.choices[Number(value)];
    } else if (field.kind === 'string') {
      input[field.name] = value;
    } else {
      try {
        input[field.name] = JSON.parse(value);
      } catch {
        input[field.name] = value; // the server says what is wrong with it, under this field
      }
    }
  }
  return input;
}

/** The server's refusal spread over the fields it names (`run_input.<field>`), else the form's. */
export function pauseErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError) || !Array.isArray(error.detail)) {
    return { form: String((error as Error)?.message ?? error) };
  }
  const errors: FieldErrors = {};
  for (const problem of error.detail as IFieldProblem[]) {
    const path = (problem.loc ?? []).map(String).join('.');
    const match = /(?:^|\.)run_input\.([^.]+)/.exec(path);
    const field = match ? match[1] : 'form';
    const message = String(problem.msg).replace(/^Value error, /, '');
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
  }
  return errors;
}

function Field(props: {
  field: IPauseField;
  value: string | boolean;
  onChange: (value: string | boolean) => void;
  errors: FieldErrors;
}): JSX.Element {
  const { field, value } = props;
  let input: JSX.Element;
  if (field.kind === 'enum') {
    input = (
      <select
        className="jp-mod-styled"
        name={field.name}
        value={String(value)}
        onChange={e => props.onChange(e.target.value)}
      >
        {field.initial === '' ? <option value="">—</option> : null}
        {field.choices.map((choice, i) => (
          <option key={i} value={String(i)}>
            {typeof choice === 'string' ? choice : JSON.stringify(choice)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'boolean') {
    input = (
      <input
        type="checkbox"
        name={field.name}
        checked={value === true}
        onChange={e => props.onChange(e.target.checked)}
      />
    );
  } else {
    input = (
      <input
        className="jp-mod-styled"
        name={field.name}
        type="text"
        inputMode={field.kind === 'integer' || field.kind === 'number' ? 'decimal' : undefined}
        value={String(value)}
        onChange={e => props.onChange(e.target.value)}
      />
    );
  }
  return (
    <label className="orchestr-lab-field orchestr-lab-pause-field" data-field={field.name} data-kind={field.kind}>
      <span>{field.label}</span>
      {input}
      {field.description ? <small>{field.description}</small> : null}
      <FieldError errors={props.errors} field={field.name} />
    </label>
  );
}

/** The question of a PAUSED run, answered from the sidebar; `onResumed` re-reads the run. */
export function PauseForm(props: { model: OrchestrModel; run: FlowRun; onResumed: () => Promise<void> }): JSX.Element {
  const { model, run } = props;
  const [question, setQuestion] = React.useState<IQuestion | null | undefined>(undefined);
  const [values, setValues] = React.useState<Record<string, string | boolean>>({});
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [busy, setBusy] = React.useState(false);
  const stamp = run.state?.timestamp ?? '';

  React.useEffect(() => {
    let live = true;
    requestAPI<IQuestion>(model.api.settings, ['flow_runs', run.id, 'input_schema'])
      .then(q => {
        if (live) {
          setQuestion(q);
          setValues(Object.fromEntries(pauseFields(q.run_input_schema).map(f => [f.name, f.initial])));
          setErrors({});
        }
      })
      .catch(err => {
        if (live) {
          setQuestion(err instanceof ApiError && err.status === 404 ? null : undefined);
          setErrors(err instanceof ApiError && err.status === 404 ? {} : { form: (err as Error).message });
        }
      });
    return () => {
      live = false;
    };
  }, [model, run.id, stamp]);

  const fields = question ? pauseFields(question.run_input_schema) : [];
  const submit = async () => {
    setBusy(true);
    setErrors({});
    try {
      const body = { run_input: question ? pauseInput(fields, values) : null };
      await requestAPI(model.api.settings, ['flow_runs', run.id, 'resume'], { method: 'POST', body });
      await props.onResumed();
    } catch (err) {
      setErrors(pauseErrors(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="orchestr-lab-pause-form"
      data-run-id={run.id}
      data-key={question?.key ?? ''}
      onSubmit={e => {
        e.preventDefault();
        void submit();
      }}
    >
      <h4>{question === null ? 'Paused' : 'Waiting for input'}</h4>
      {question?.description ? (
        <div className="orchestr-lab-pause-description">{markdown(question.description)}</div>
      ) : null}
      {fields.map(field => (
        <Field
          key={`${question?.key}:${field.name}`}
          field={field}
          value={values[field.name] ?? field.initial}
          onChange={value => setValues(v => ({ ...v, [field.name]: value }))}
          errors={errors}
        />
      ))}
      <Message text={errors.form ?? ''} />
      {question === undefined ? null : (
        <div className="orchestr-lab-actions">
          <ActionButton
            label={question ? 'Submit' : 'Resume'}
            action="resume-run"
            accept
            disabled={busy}
            onClick={() => void submit()}
          />
        </div>
      )}
    </form>
  );
}
