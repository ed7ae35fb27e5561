// The connection form: the values (react-hook-form over the shared schema), its sections as tabs
// (General, Authentication, TLS, Proxy, Key details, as MongoDB Compass groups them), and the
// submit. Every error of a submit is shown at once; each tab counts its errors and the first one's
// tab opens. The action bar that submits it lives in the pane (form="connection-form"), in view at
// every window size.
import * as Tabs from '@radix-ui/react-tabs';
import { useEffect, useRef, useState, type JSX } from 'react';
import { FormProvider, useForm, useWatch, type FieldErrors, type Resolver } from 'react-hook-form';
import { formatDate } from '../../../shared/date-format';
import { PRESETS } from '../../../shared/presets';
import type { ConnectionView, TokenImport } from '../../../shared/types';
import { useKeybridge } from '../../store';
import { AuthenticationSection } from './AuthenticationSection';
import { secretNoun, wordsFor } from './auth-methods';
import { FormExtrasContext, type FormExtras } from './form-context';
import { errorCounts, FIELD_OF, firstInvalid, inputOf, SECTION_LABELS, SECTION_OF, SECTIONS, valuesOf, verdictMark, type FormValues, type Section } from './form-values';
import { GeneralSection } from './GeneralSection';
import { KeyDetailsSection } from './KeyDetailsSection';
import { ProxySection } from './ProxySection';
import { TlsSection } from './TlsSection';

export const FORM_ID = 'connection-form';
/** The sections after General (which takes the first run's focus). */
const PANELS: Record<Section, (() => JSX.Element) | null> = { general: null, authentication: AuthenticationSection, tls: TlsSection, proxy: ProxySection, details: KeyDetailsSection };
/** The schema and its resolver, loaded once (form-schema.ts: zod stays out of the first paint). */
let schema: Promise<Resolver<FormValues>> | null = null;
const loadSchema = (): Promise<Resolver<FormValues>> =>
  (schema ??= Promise.all([import('./form-schema'), import('@hookform/resolvers/zod')]).then(([{ formSchema }, { zodResolver }]) => zodResolver(formSchema)));
/** The schema's errors and the missing values together: every error of a submit at once. */
const resolver: Resolver<FormValues, ResolverContext> = async (values, context, options) => {
  const validate = await loadSchema();
  const result = await validate(values, context as never, options);
  const extra = missingValues(values, context?.secretKnown ?? false);
  return Object.keys(extra).length === 0 ? result : { values: {}, errors: { ...extra, ...result.errors } };
};

interface ResolverContext {
  secretKnown: boolean;
}

/** The checks that need more than the values: a secret to save, an expiry date unless it never expires. */
function missingValues(values: FormValues, secretKnown: boolean): FieldErrors<FormValues> {
  const errors: FieldErrors<FormValues> = {};
  const noun = secretNoun(wordsFor(PRESETS[values.preset], values.authMethod));
  if (!secretKnown && values.apiToken.trim() === '') errors.apiToken = { type: 'required', message: `Paste the ${noun}, or import the file you downloaded from the key manager.` };
  if (!values.neverExpires && values.expiresOn === '') errors.expiresOn = { type: 'required', message: 'Enter the expiry date, or tick "Never expires".' };
  return errors;
}

export function ConnectionForm({ connection, onProductChange }: { connection: ConnectionView | null; onProductChange(preset: FormValues['preset']): void }) {
  const saveAndTest = useKeybridge((s) => s.saveAndTest);
  const retest = useKeybridge((s) => s.retest);
  const firstRun = useKeybridge((s) => s.connections.length === 0);
  const setFormDirty = useKeybridge((s) => s.setFormDirty);
  const testing = useKeybridge((s) => connection !== null && s.testingId === connection.id);
  const [imported, setImportedState] = useState<TokenImport | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [endpoints, setEndpoints] = useState<string[]>([]);
  /** An expiry date in the past that the admin chose to keep after the warning. */
  const [confirmedPast, setConfirmedPast] = useState<string | null>(null);
  const hasSecret = connection !== null && connection.tokenState !== 'missing' && connection.tokenState !== 'undecryptable';
  const report = testing ? null : (connection?.lastTest ?? null);
  // A verdict about a setting marks it; a connection without its secret (imported without it, or
  // no longer decryptable here) marks the secret field until one is given.
  const needsSecret = connection !== null && (connection.tokenState === 'missing' || connection.tokenState === 'undecryptable');
  const mark = (report && !report.ok ? verdictMark(report.verdict) : null) ?? (needsSecret ? ({ field: 'apiToken', section: 'authentication' } as const) : null);
  const [tab, setTab] = useState<Section>(mark?.section ?? 'general');
  const [focusNext, setFocusNext] = useState<keyof FormValues | null>(null);
  /** First run: the work starts in the product field, once (not each time General is opened again). */
  const [startHere, setStartHere] = useState(firstRun);

  // A saved or imported secret counts: the resolver is told through react-hook-form's context.
  const methods = useForm<FormValues, ResolverContext>({ resolver, context: { secretKnown: hasSecret || imported !== null }, defaultValues: valuesOf(connection), shouldFocusError: false });
  const { handleSubmit, setError, reset, clearErrors, setFocus, formState, control } = methods;
  const [preset, apiToken] = useWatch({ control, name: ['preset', 'apiToken'] });

  const tokenLength = apiToken.trim().length;
  // The form knows when it differs from what is saved: the action bar says so, and leaving asks.
  const changed = formState.isDirty || imported !== null || tokenLength > 0;
  useEffect(() => setFormDirty(changed), [changed, setFormDirty]);
  useEffect(() => () => setFormDirty(false), [setFormDirty]);
  // Fetched while the admin reads the form, so the first validation does not wait for it.
  useEffect(() => void loadSchema(), []);
  useEffect(() => onProductChange(preset), [preset, onProductChange]);

  // A test that ends with a verdict about a setting opens that setting's tab.
  const wasTesting = useRef(testing);
  const markedSection = mark?.section ?? null;
  useEffect(() => {
    if (wasTesting.current && !testing && markedSection) setTab(markedSection);
    wasTesting.current = testing;
  }, [testing, markedSection]);
  // The first field in error gets focus once its tab is shown.
  useEffect(() => {
    if (!focusNext) return;
    const frame = requestAnimationFrame(() => {
      try {
        setFocus(focusNext);
      } catch {
        // A field that is not an input (an imported key) has nothing to focus.
      }
      setFocusNext(null);
    });
    return () => cancelAnimationFrame(frame);
  }, [focusNext, setFocus, tab]);

  const showFirst = (errors: Partial<Record<string, unknown>>): void => {
    const first = firstInvalid(errors);
    if (!first) return;
    setTab(SECTION_OF[first]);
    setFocusNext(first);
  };

  const extras: FormExtras = {
    connection,
    hasSecret,
    imported,
    setImported: (result) => {
      setImportedState(result);
      if (result) clearErrors('apiToken');
    },
    importError,
    setImportError,
    endpoints,
    setEndpoints,
    mark: changed ? (mark?.field === 'apiToken' || mark?.field === 'serverAddress' ? mark : null) : mark,
    openSection: setTab,
  };

  const onSubmit = handleSubmit(async (submitted) => {
    // Enter in a field while this test runs: the running test is the answer.
    if (useKeybridge.getState().testingId !== null) return;
    if (connection && !changed) {
      // Nothing to save: test what is saved (a refusal, such as a missing client certificate, is said).
      const tested = await retest(connection.id);
      if (!tested.ok) setError('root', { message: tested.message });
      return;
    }
    // A date in the past is most likely a typo: say so once, and save it if the admin insists.
    const now = new Date();
    // Today on this computer's calendar (not UTC's), as YYYY-MM-DD like the date field.
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    if (!submitted.neverExpires && submitted.expiresOn < today && submitted.expiresOn !== connection?.expiresOn && confirmedPast !== submitted.expiresOn) {
      setConfirmedPast(submitted.expiresOn);
      setError('expiresOn', { message: `${formatDate(submitted.expiresOn)} is in the past: this API token has already expired. Correct the date, or press Save and test connection again to keep it.` });
      showFirst({ expiresOn: true });
      return;
    }
    const outcome = await saveAndTest(inputOf(submitted, connection, imported), () => {
      // Saved: the secret now lives in main only (the field shows the masked hint instead), and
      // what was saved is the new baseline, so the form is not "changed" while its test runs.
      reset({ ...submitted, apiToken: '' });
      setImportedState(null);
    });
    if (outcome.ok) return;
    if (outcome.code === 'import-expired') setImportedState(null);
    const field = FIELD_OF[outcome.code];
    setError(field ?? 'root', { message: outcome.message });
    if (field) showFirst({ [field]: true });
  }, showFirst);

  const counts = errorCounts(formState.errors);
  return (
    <FormExtrasContext.Provider value={extras}>
      <FormProvider {...methods}>
        <form id={FORM_ID} className="card form" onSubmit={(event) => void onSubmit(event)} noValidate aria-label="Connection settings">
          <Tabs.Root
            value={tab}
            onValueChange={(next) => {
              setTab(next as Section);
              setStartHere(false);
            }}
            className="form-tabs"
          >
            <Tabs.List className="tab-list" aria-label="Connection settings sections">
              {SECTIONS.map((section) => (
                <Tabs.Trigger key={section} value={section} className="tab">
                  {SECTION_LABELS[section]}
                  {counts[section] > 0 ? (
                    <span className="tab-count">
                      {counts[section]}
                      <span className="visually-hidden">{counts[section] === 1 ? ' error' : ' errors'}</span>
                    </span>
                  ) : extras.mark?.section === section ? (
                    <span className="tab-mark" title="The last test points here">
                      !<span className="visually-hidden"> (the last test points here)</span>
                    </span>
                  ) : null}
                </Tabs.Trigger>
              ))}
            </Tabs.List>
            {/* Every section stays mounted (hidden when not shown), so what a section holds for itself
                (a specification's address, a paste's note) survives a look at another tab. */}
            {SECTIONS.map((section) => {
              const Panel = PANELS[section];
              return (
                <Tabs.Content key={section} value={section} className="tab-panel" tabIndex={-1} forceMount hidden={tab !== section}>
                  {Panel ? <Panel /> : <GeneralSection autoFocus={startHere} />}
                </Tabs.Content>
              );
            })}
          </Tabs.Root>
          {formState.errors.root ? (
            <div className="banner banner-error" role="alert">
              {formState.errors.root.message}
            </div>
          ) : null}
        </form>
      </FormProvider>
    </FormExtrasContext.Provider>
  );
}
