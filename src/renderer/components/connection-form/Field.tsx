// One form field, written once: its label, the ids that tie label, help and error to the control,
// and aria-invalid / aria-describedby. The control itself is the caller's (input, select, radio
// group), given the attributes to spread on it.
import { useId, type ReactNode } from 'react';
import { useFormState } from 'react-hook-form';
import type { FormValues } from './form-values';

export interface FieldControl {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface Props {
  label: ReactNode;
  /** The form value whose error this field shows; omitted for a field outside the form's values. */
  name?: keyof FormValues;
  /** Shown under the control when there is no error. */
  help?: ReactNode;
  /** Shown instead of the help, when the field is not in error (a warning or a verdict's fix). */
  note?: ReactNode;
  /** An error from outside the form's validation (a refused import, a verdict). */
  error?: string | null;
  /** The label is for a group (a radio group): it labels by id instead of htmlFor. */
  group?: boolean;
  className?: string;
  children: (control: FieldControl) => ReactNode;
  /** Below everything (buttons such as Import from file…). */
  after?: ReactNode;
}

export function Field({ label, name, help, note, error, group = false, className, children, after }: Props) {
  const id = useId();
  const { errors } = useFormState<FormValues>(name ? { name } : { disabled: true });
  const message = error ?? (name ? errors[name]?.message : undefined) ?? null;
  const below = message ? `${id}-error` : note || help ? `${id}-help` : undefined;
  const control: FieldControl = { id, 'aria-invalid': message ? true : undefined, 'aria-describedby': below };
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      {group ? (
        <span className="label" id={`${id}-label`}>
          {label}
        </span>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
      {children(group ? { ...control, id: `${id}-label` } : control)}
      {message ? (
        <p className="field-error" id={`${id}-error`}>
          {message}
        </p>
      ) : note ? (
        <div className="field-note" id={`${id}-help`} role="status">
          {note}
        </div>
      ) : help ? (
        <p className="field-help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      {after}
    </div>
  );
}
