// One connection test, step by step: address, dns, tcp, (proxy), tls, http, auth. Each step is
// timed and leaves evidence; the first that fails gives the verdict. The secret is sent only after
// the server's certificate was accepted, only to the address the admin entered, on a connection
// opened for this test alone (no keep-alive, no TLS session reuse).
import net from 'node:net';
import os from 'node:os';
import { PMP_WRONG_HOST } from '../../../shared/presets';
import { getProxyForUrl } from 'proxy-from-env';
import type { CertificateSummary, TestReport, TestStep, TlsDetails, Verdict } from '../../../shared/types';
import { parseServerAddress, type ParsedAddress } from '../address/parse-address';
import {
  authHeaders,
  passportalExchange,
  PASSPORTAL_DEFAULT_ENDPOINT,
  PASSPORTAL_TOKEN_PATH,
  readPassportalAnswer,
  secretsOf,
  type AuthSpec,
} from './auth-methods';
import { classifyError } from './classify-error';
import { sendRequest, type HttpAnswer } from './http-request';
import { judgeAnswer, type SuccessRule } from './judge';
import { connectTcp, lookup, openTunnel } from './network';
import { redactReport, redactStep } from './redact';
import { extractServerMessage, fullServerMessage } from './server-message';
import { StepFailure, StepLog } from './steps';
import { describeRequest, judgeTlsFailure, TlsFailure } from './tls-failure';
import {
  diagnoseHandshake,
  handshake,
  probeLegacyVersion,
  requestDetails,
  serverKeyOfFailure,
  type ClientCertificate,
  type Diagnosis,
  type Handshake,
  type HandshakeOptions,
  type TrustOptions,
} from './tls-handshake';
import { VERDICT_TEXTS, type VerdictContext } from './verdicts';

export type { AuthSpec } from './auth-methods';
export type { ClientCertificate, TrustOptions } from './tls-handshake';

export interface TestTarget {
  serverAddress: string;
  auth: AuthSpec;
  trust: TrustOptions;
  /** Path (and query) to test; default /api/v3/, or Passportal's documents endpoint. */
  endpoint?: string;
  clientCertificate?: ClientCertificate;
  /** A proxy URL; undefined = from HTTPS_PROXY / NO_PROXY; null = never a proxy. */
  proxy?: string | null;
  /** Allow sending the secret over plain http:// (reported with a warning). */
  allowInsecureHttp?: boolean;
  /** Bound for the whole test; each phase gets its own smaller bound. */
  timeoutMs?: number;
  successRule?: SuccessRule;
  /** The product's port when the address names none (Password Manager Pro: 7272). */
  defaultPort?: number;
  /** A document download (auth 'none'): the body read, up to this many bytes, is handed to onBody. */
  document?: { maxBytes: number; onBody: (body: string, contentType: string | undefined) => void };
  /** Hears each step as it completes (redacted and bounded like the report), for live progress. */
  onStep?: (step: TestStep, elapsedMs: number) => void;
  /** The product's own hints for its typical failures (presets.ts), in place of the general ones. */
  hints?: Partial<Record<Verdict, string>>;
  signal?: AbortSignal;
}

export interface TestEnvironment {
  now?: () => Date;
  userAgent?: string;
}

const DEFAULT_TIMEOUT_MS = 20_000;

interface Phases {
  connect: number;
  response: number;
}

function phaseBounds(total: number): Phases {
  return { connect: Math.min(5_000, Math.floor(total * 0.5)), response: Math.min(10_000, Math.floor(total * 0.75)) };
}

export async function runConnectionTest(target: TestTarget, env: TestEnvironment = {}): Promise<TestReport> {
  const now = env.now ?? (() => new Date());
  const testedAt = now().toISOString();
  const warnings: string[] = [];
  // Every secret of this test; the report is cleaned of all of them (redact.ts). More join as they appear.
  const secrets = secretsOf(target.auth);
  if (target.clientCertificate?.passphrase) secrets.push(target.clientCertificate.passphrase);
  // Live progress gets each step cleaned the same way as the report, with the secrets known by then.
  const log = new StepLog(target.onStep ? (step, elapsedMs) => target.onStep?.(redactStep(step, secrets), elapsedMs) : undefined);
  const sockets: net.Socket[] = [];
  const total = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const phases = phaseBounds(total);

  // One signal for the whole test: the caller's cancel, or the overall time limit.
  const controller = new AbortController();
  let timedOut = false;
  const overall = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, total);
  const onCancel = (): void => controller.abort();
  if (target.signal?.aborted) controller.abort();
  target.signal?.addEventListener('abort', onCancel, { once: true });
  const signal = controller.signal;

  let address: Extract<ParsedAddress, { ok: true }> | null = null;
  let tls: TlsDetails | null = null;
  let leaf: CertificateSummary | null = null;
  let answer: HttpAnswer | null = null;
  let accessTokenExpiresAt: string | undefined;
  let lastHandshake: Handshake | null = null;
  // After Apache's post-handshake 403: every later connection capped at TLS 1.2, where the server
  // asks for the certificate by renegotiation (which the tap cannot read, but the 403 said so).
  let cap: HandshakeOptions = {};
  let askedElsewhere = false;
  const deadline = performance.now() + total;
  let chosenProxy: URL | null = null;
  const negotiated = (): string | null => lastHandshake?.details.protocol ?? null;

  const report = (verdict: Verdict, context: Partial<VerdictContext>, expectedPin?: string): TestReport => {
    const full: VerdictContext = {
      host: address?.hostname ?? '',
      port: address?.port ?? 0,
      url: address?.testUrl ?? '',
      ...(leaf ? { certificateNames: (leaf as CertificateSummary).subjectAltNames } : {}),
      ...requestFacts((tls as TlsDetails | null)?.clientCertificateRequest),
      ...context,
    };
    const text = VERDICT_TEXTS[verdict];
    return redactReport({
      ok: verdict === 'ok',
      verdict,
      title: text.title,
      message: text.message(full),
      hint: productHint(verdict, full, target.hints) ?? text.hint(full),
      url: address?.testUrl ?? null,
      httpStatus: answer?.status ?? null,
      warnings: [...new Set(warnings)],
      certificate: leaf,
      tls,
      steps: log.list(),
      timings: {
        dns: log.ms('dns'),
        tcp: log.ms('tcp'),
        tls: log.ms('tls'),
        firstByte: answer ? Math.round(answer.firstByteMs * 10) / 10 : null,
        total: log.total(),
      },
      ...(expectedPin ? { expectedPin } : {}),
      ...(accessTokenExpiresAt ? { accessTokenExpiresAt } : {}),
      ...fullMessageOf(answer, context.serverMessage),
      durationMs: log.total(),
      testedAt,
    }, secrets);
  };

  /** dns -> tcp -> proxy; `record` is false for a second connection (Passportal, the legacy probe). */
  const connect = async (record: boolean, proxyUrl: URL | null): Promise<net.Socket> => {
    const a = address as Extract<ParsedAddress, { ok: true }>;
    const step = <T>(id: Parameters<StepLog['run']>[0], work: () => Promise<T>, describe: (v: T) => string): Promise<T> =>
      record ? log.run(id, work, describe) : work();
    // With a proxy, the TCP connection goes to the proxy, which resolves and reaches the server.
    const peer = proxyUrl ? { host: proxyUrl.hostname.replace(/^\[|\]$/g, ''), port: Number(proxyUrl.port || 80) } : { host: a.hostname, port: a.port };

    let addresses: string[];
    if (net.isIP(peer.host)) {
      if (record) log.skip('dns', `${peer.host} is an IP address`);
      addresses = [peer.host];
    } else {
      addresses = await step('dns', () => lookup(peer.host, phases.connect, signal), (found) => `${peer.host} → ${found.join(', ')}`);
    }
    const { socket } = await step(
      'tcp',
      () => connectTcp(addresses, peer.port, phases.connect, signal),
      (c) => `connected to ${net.isIPv6(c.address) ? `[${c.address}]` : c.address}:${peer.port}${proxyUrl ? ' (proxy)' : ''}`,
    );
    sockets.push(socket);
    let stream: net.Socket = socket;
    if (proxyUrl) {
      stream = await step('proxy', () => openTunnel(socket, proxyUrl, a.hostname, a.port, phases.connect, signal), () => `tunnel to ${a.hostname}:${a.port} via ${proxyUrl.host}`);
      sockets.push(stream);
    }
    return stream;
  };

  /** dns -> tcp -> proxy -> tls; `record` is false for a second connection (Passportal). */
  const open = async (record: boolean, proxyUrl: URL | null, options: HandshakeOptions = {}): Promise<net.Socket> => {
    const a = address as Extract<ParsedAddress, { ok: true }>;
    const stream = await connect(record, proxyUrl);
    if (a.insecureHttp) {
      if (record) log.skip('tls', 'plain http:// (no TLS)');
      return stream;
    }
    const servername = net.isIP(a.hostname) ? undefined : a.hostname;
    const work = (): Promise<Handshake> => handshake(stream, a.hostname, servername, target.trust, target.clientCertificate, phases.connect, signal, options);
    let shaken: Handshake;
    try {
      shaken = record ? await log.run('tls', work, describeHandshake) : await work();
    } catch (error) {
      let failure = error;
      // An unobserved handshake (the fast path) that failed in a way the server's handshake can
      // explain: look again, observed, on a connection of its own.
      const unobserved = error instanceof TlsFailure && !(error as { observation?: () => unknown }).observation?.();
      if (record && unobserved && DIAGNOSED.has(error.verdict)) {
        const key = serverKeyOfFailure(error);
        // Closed before the server showed a certificate: a server that speaks only TLS 1.0/1.1 does that.
        if (!key && error.verdict === 'connection-reset') {
          failure = Object.assign(new TlsFailure('connection-reset', 'the server closed the connection before showing its certificate', error.extra, { silentAfterClientHello: true }), { cause: error.cause });
        } else failure = await secondLook(error, key, 'handshake', options);
        if (failure !== error) log.record('tls', 'failed', log.ms('tls') ?? 0, (failure as TlsFailure).detail);
      }
      if (record && !options.maxVersion && failure instanceof TlsFailure && (failure.facts.silentAfterClientHello || failure.verdict === 'tls-protocol-version')) {
        throw await explainSilentClose(failure, proxyUrl, servername);
      }
      throw failure;
    }
    sockets.push(shaken.socket);
    lastHandshake = shaken;
    if (record) {
      tls = shaken.details;
      leaf = shaken.leaf;
      warnings.push(...shaken.warnings);
    }
    return shaken.socket;
  };

  /** An observed second handshake that explains a failure of an unobserved one (nothing is sent on it). */
  const diagnose = async (options: HandshakeOptions): Promise<Diagnosis | null> => {
    const a = address as Extract<ParsedAddress, { ok: true }>;
    const left = deadline - performance.now() - 250;
    if (left < 300 || a.insecureHttp) return null;
    const bound = Math.floor(Math.min(phases.connect, left / 2));
    try {
      const stream = await connect(false, chosenProxy);
      return await diagnoseHandshake(stream, a.hostname, net.isIP(a.hostname) ? undefined : a.hostname, target.trust, target.clientCertificate, bound, signal, options);
    } catch (error) {
      if (error instanceof StepFailure && error.verdict === 'test-cancelled' && !timedOut) throw error;
      return null;
    }
  };

  /**
   * A failure of an unobserved connection judged again with a second, observed handshake: used only
   * when that one reached the same server key, it never turns a client-certificate verdict the
   * connection itself gave into another, and the detail says where the evidence came from.
   */
  const secondLook = async (failure: TlsFailure, key: string | null, phase: 'handshake' | 'after-handshake', options: HandshakeOptions): Promise<TlsFailure> => {
    const amended = (with_: TlsFailure, note: string): TlsFailure => Object.assign(new TlsFailure(with_.verdict, `${with_.detail}${note}`, with_.extra, with_.facts), { cause: failure.cause });
    if (!key) return failure;
    const diagnosis = await diagnose(options);
    if (!diagnosis || diagnosis.serverKey === null) return amended(failure, '; a second handshake, to see what the server asked for, could not be made');
    if (diagnosis.serverKey !== key) return amended(failure, '; a second handshake reached a server with another key and was not used');
    const second = judgeTlsFailure(failure.cause, diagnosis.observation, diagnosis.offered, phase, askedElsewhere);
    if (failure.verdict.startsWith('tls-client-cert') && !second.verdict.startsWith('tls-client-cert')) return failure;
    // Nothing new: the connection's own words stand.
    if (second.verdict === failure.verdict && !second.facts.acceptedIssuers) return failure;
    return amended(second, ' (seen on a second handshake with the same server key)');
  };

  /**
   * Apache asks for a client certificate per location after a TLS 1.3 handshake (post-handshake
   * authentication), which Node's TLS does not offer: it answers 403. Over TLS 1.2 it asks by
   * renegotiation instead, which works; without a certificate there is nothing to retry. Either
   * the answer to use (and the socket it came on), or the report that ends the test.
   */
  const postHandshakeAuth = async (
    first: HttpAnswer,
    send: (over: net.Socket, note: string) => Promise<HttpAnswer>,
  ): Promise<{ answer: HttpAnswer; socket?: net.Socket } | TestReport> => {
    if (!(first.status === 403 && POST_HANDSHAKE_AUTH.test(first.body) && negotiated() === 'TLSv1.3')) return { answer: first };
    const a = address as Extract<ParsedAddress, { ok: true }>;
    const reason = `${a.hostname} asks for a client certificate for this path only after the handshake (TLS 1.3 post-handshake authentication), which Keybridge's TLS library does not offer`;
    if (!target.clientCertificate) {
      answer = first;
      log.record('auth', 'failed', 0, `HTTP 403: ${reason}`);
      return report('tls-client-cert-required', { status: 403, postHandshake: 'asked' });
    }
    cap = { maxVersion: 'TLSv1.2' };
    askedElsewhere = true;
    let again: net.Socket;
    try {
      again = await open(true, chosenProxy, cap);
    } catch (error) {
      if (error instanceof StepFailure && (error.verdict === 'test-cancelled' || error.verdict === 'timeout')) throw error;
      // A server that speaks only TLS 1.3 cannot ask the other way.
      answer = first;
      if (error instanceof StepFailure) log.record('tls', 'failed', log.ms('tls') ?? 0, `again capped at TLS 1.2 (post-handshake authentication): ${error.detail}`);
      log.record('auth', 'failed', 0, `HTTP 403: ${reason}; and it does not accept TLS 1.2, where it would ask by renegotiation`);
      return report('tls-client-cert-required', { status: 403, postHandshake: 'no-tls12' });
    }
    warnings.push(`${reason}; tested again over TLS 1.2, where the server asks by renegotiation.`);
    return { answer: await send(again, 'again over TLS 1.2 (post-handshake authentication); '), socket: again };
  };

  /**
   * A failure after the handshake may be the server refusing the client certificate: TLS 1.3
   * servers judge it after Keybridge's Finished, so their alert (or silent close) comes with the
   * first read. Judged again with what the handshake showed (tls-failure.ts).
   */
  const afterHandshake = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      const shaken = lastHandshake;
      const cause = (error as { cause?: unknown }).cause;
      if (!shaken || !(error instanceof StepFailure) || cause === undefined) throw error;
      const classified = classifyError(cause);
      if (classified.alert === undefined && !askedElsewhere && classified.verdict !== 'connection-reset') throw error;
      const observation = shaken.observation();
      let judged: TlsFailure;
      if (observation) {
        const refused = classified.alert !== undefined || askedElsewhere || observation.certificateRequest !== null;
        if (!refused) throw error;
        judged = judgeTlsFailure(cause, observation, shaken.offered(), 'after-handshake', askedElsewhere);
      } else {
        // The connection's own judgement first; a second look may only add what the server asked for.
        const own = judgeTlsFailure(cause, null, shaken.offered(), 'after-handshake', askedElsewhere);
        judged = await secondLook(own, shaken.leaf?.spkiSha256 ?? null, 'after-handshake', cap);
        if (judged === own && own.verdict === error.verdict && own.facts.alert === undefined) throw error;
        throw judged;
      }
      // Nothing learnt beyond what the request step said: keep its words.
      throw judged.verdict === error.verdict && judged.facts.alert === undefined ? error : judged;
    }
  };

  /**
   * The server closed without a word after the ClientHello (a Java server that speaks only TLS
   * 1.0/1.1 does that), or refused every version Keybridge offers. Two bounded handshakes offering
   * only TLS 1.0/1.1 (no secret, no client certificate) tell a legacy-only server from a reset, and
   * name the versions it speaks.
   */
  const explainSilentClose = async (failure: TlsFailure, proxyUrl: URL | null, servername: string | undefined): Promise<TlsFailure> => {
    const a = address as Extract<ParsedAddress, { ok: true }>;
    const versions: string[] = [];
    // The probes fit in what is left of the test's time, so the finding is never lost to a timeout.
    const left = deadline - performance.now() - 250;
    if (left < 300) return failure;
    const bound = Math.floor(Math.min(phases.connect, left / 2));
    const probe = async (min: 'TLSv1' | 'TLSv1.1', max: 'TLSv1' | 'TLSv1.1'): Promise<string | null> => {
      try {
        return await probeLegacyVersion(await connect(false, proxyUrl), a.hostname, servername, min, max, bound, signal);
      } catch (error) {
        if (error instanceof StepFailure && error.verdict === 'test-cancelled' && !timedOut) throw error;
        return null;
      }
    };
    const highest = await probe('TLSv1', 'TLSv1.1');
    if (highest) versions.push(highest);
    if (highest === 'TLSv1.1' && !timedOut && (await probe('TLSv1', 'TLSv1'))) versions.unshift('TLSv1');
    const shown = versions.map((v) => (v === 'TLSv1' ? 'TLS 1.0' : v.replace('TLSv', 'TLS ')));
    const detail = shown.length
      ? `${failure.detail}; a second handshake offering only TLS 1.0 and 1.1 (no secret sent) was answered with ${shown.join(' and ')}`
      : `${failure.detail}; it did not accept a handshake offering only TLS 1.0 and 1.1 either`;
    log.record('tls', 'failed', log.ms('tls') ?? 0, detail);
    if (!shown.length) return new TlsFailure(failure.verdict, detail, failure.extra, failure.facts);
    return new TlsFailure('tls-protocol-version', detail, failure.extra, { ...failure.facts, legacyVersions: shown });
  };

  try {
    const endpoint = target.endpoint ?? (target.auth.method === 'passportal-hmac' ? PASSPORTAL_DEFAULT_ENDPOINT : undefined);
    address = await log.run(
      'address',
      async () => {
        const parsed = parseServerAddress(target.serverAddress, endpoint, target.defaultPort);
        if (!parsed.ok) throw new StepFailure('invalid-address', parsed.message);
        if (parsed.insecureHttp && !target.allowInsecureHttp) throw new StepFailure('insecure-http-refused', `${parsed.testUrl} is plain http://`);
        return parsed;
      },
      (a) => a.testUrl,
    );
    if (address.insecureHttp) warnings.push('Insecure HTTP was allowed: the secret crossed the network unencrypted.');

    const proxyUrl = resolveProxy(target.proxy, address.testUrl);
    chosenProxy = proxyUrl;
    if (proxyUrl?.password) secrets.push(decodeURIComponent(proxyUrl.password));
    const headers = { 'user-agent': env.userAgent ?? 'Keybridge' };
    let socket = await open(true, proxyUrl);

    let accessToken: string | undefined;
    if (target.auth.method === 'passportal-hmac') {
      const exchange = passportalExchange(target.auth);
      const tokenUrl = new URL(PASSPORTAL_TOKEN_PATH, address.origin).href;
      const post = (over: net.Socket, note = ''): Promise<HttpAnswer> =>
        log.run(
          'http',
          () => afterHandshake(sendRequest({ url: tokenUrl, method: 'POST', headers: { ...headers, ...exchange.headers }, body: exchange.body, socket: over, timeoutMs: phases.response, signal })),
          (a) => `${note}POST ${PASSPORTAL_TOKEN_PATH} → HTTP ${a.status}`,
        );
      const first = await post(socket);
      const retried = await postHandshakeAuth(first, post);
      if ('verdict' in retried) return retried;
      const exchanged = retried.answer;
      socket = retried.socket ?? socket;
      const parsed = readPassportalAnswer(exchanged.body);
      if (!parsed.ok || !parsed.accessToken) {
        answer = exchanged;
        const serverMessage = extractServerMessage(exchanged.body, exchanged.headers['content-type'], secrets);
        const verdict: Verdict = exchanged.status === 401 ? 'http-unauthorized' : exchanged.status === 403 ? 'http-forbidden' : exchanged.status >= 500 ? 'http-server-error' : 'auth-rejected';
        log.record('auth', 'failed', 0, `access key exchange refused${serverMessage ? `: ${serverMessage}` : ''}`);
        return report(verdict, { status: exchanged.status, serverMessage });
      }
      accessToken = parsed.accessToken;
      secrets.push(accessToken);
      accessTokenExpiresAt = parsed.expiresAt;
      socket = await open(false, proxyUrl, cap);
    }

    const exchangeStep = log.ms('http');
    const get = (over: net.Socket, note = ''): Promise<HttpAnswer> =>
      log.run(
        'http',
        () =>
          afterHandshake(
            sendRequest({
              url: address!.testUrl,
              method: 'GET',
              headers: { ...headers, ...authHeaders(target.auth, accessToken) },
              socket: over,
              timeoutMs: phases.response,
              signal,
              ...(target.document ? { maxBodyBytes: target.document.maxBytes } : {}),
            }),
          ),
        (a) => `${note}${exchangeStep === null ? '' : 'access token issued; '}GET → HTTP ${a.status} in ${Math.round(a.firstByteMs)} ms${a.headers.server ? `; server: ${a.headers.server}` : ''}`,
      );
    const got = await postHandshakeAuth(await get(socket), get);
    if ('verdict' in got) return got;
    answer = got.answer;
    if (target.document && answer.status >= 200 && answer.status < 300) target.document.onBody(answer.body, answer.headers['content-type']);
    const judged = judgeAnswer(answer, target.successRule, secrets);
    // A server that answers "certificate required" with an error page (nginx's 400) to a client
    // that sent one has refused that certificate ("The SSL certificate error").
    if (judged.verdict === 'tls-client-cert-required' && target.clientCertificate) judged.verdict = 'tls-client-cert-rejected';
    // The server's request is read on demand (TLS 1.3: decrypted); the verdict's message names it.
    const shown = tls as TlsDetails | null;
    if (judged.verdict.startsWith('tls-client-cert') && shown && !shown.clientCertificateRequest) {
      let request = (lastHandshake as Handshake | null)?.clientCertificateRequest();
      if (!request) {
        const diagnosis = await diagnose(cap);
        if (diagnosis && diagnosis.serverKey === (lastHandshake as Handshake | null)?.leaf?.spkiSha256) request = requestDetails(diagnosis.observation, diagnosis.offered);
      }
      if (request) shown.clientCertificateRequest = request;
    }
    if (judged.verdict === 'ok' && !/json/i.test(answer.headers['content-type'] ?? '')) {
      warnings.push('The server answered, but not with JSON: check that the address points to the key manager API.');
    }
    log.record('auth', judged.verdict === 'ok' ? 'passed' : 'failed', 0, judged.detail);
    return report(judged.verdict, judged.context);
  } catch (error) {
    let failure: StepFailure;
    if (error instanceof StepFailure) failure = error;
    else {
      const c = classifyError(error);
      failure = new StepFailure(c.verdict, c.errorCode ?? c.verdict, { errorCode: c.errorCode, phase: c.phase });
    }
    const facts = failure instanceof TlsFailure ? failure.facts : {};
    const attached = (error as { handshake?: { details: TlsDetails; leaf: CertificateSummary | null } }).handshake;
    if (attached) {
      tls = attached.details;
      leaf = attached.leaf;
    }
    if (failure.verdict === 'test-cancelled' && timedOut) {
      return report('timeout', { phase: 'the whole test', errorCode: 'ETIMEDOUT' });
    }
    const expectedPin = failure.verdict === 'tls-pin-mismatch' ? (target.trust.pinnedSpki ?? undefined) : undefined;
    return report(
      failure.verdict,
      {
        errorCode: failure.extra.errorCode,
        phase: failure.extra.phase,
        status: failure.extra.status,
        detail: failure.verdict === 'invalid-address' ? failure.detail : undefined,
        expectedPin,
        actualPin: leaf?.spkiSha256,
        acceptedIssuers: facts.acceptedIssuers,
        acceptedOmitted: facts.acceptedOmitted,
        clientIssuer: facts.clientIssuer,
        clientIssuerAccepted: facts.clientIssuerAccepted,
        alert: facts.alert,
        legacyVersions: facts.legacyVersions,
      },
      expectedPin,
    );
  } finally {
    clearTimeout(overall);
    target.signal?.removeEventListener('abort', onCancel);
    for (const socket of sockets) socket.destroy();
  }
}

/** What the handshake showed of a client-certificate request, for the verdict's message. */
function requestFacts(request: TlsDetails['clientCertificateRequest']): Partial<VerdictContext> {
  if (!request) return {};
  return {
    ...(request.acceptedIssuers.length ? { acceptedIssuers: request.acceptedIssuers } : {}),
    ...(request.omitted ? { acceptedOmitted: request.omitted } : {}),
    ...(request.clientIssuer ? { clientIssuer: request.clientIssuer } : {}),
    ...(request.clientIssuerAccepted !== undefined ? { clientIssuerAccepted: request.clientIssuerAccepted } : {}),
  };
}

/** Failures of an unobserved handshake that an observed one can explain. */
const DIAGNOSED = new Set<Verdict>(['connection-reset', 'tls-handshake-failure', 'tls-client-cert-required', 'tls-client-cert-rejected']);

/** Apache's words when a TLS 1.3 client cannot do post-handshake authentication. */
const POST_HANDSHAKE_AUTH = /post-handshake authentication/i;

/** The TLS step's evidence: protocol, cipher, trust, and what the server asked of the client. */
function describeHandshake(h: Handshake): string {
  const request = h.details.clientCertificateRequest;
  let asked = '';
  if (request) {
    // What was sent first: the step's detail is bounded, and a long list of issuers comes last.
    const sent = !request.sent
      ? 'no client certificate configured'
      : request.clientIssuer
        ? `client certificate sent, issued by ${request.clientIssuer}${request.clientIssuerAccepted === false ? ' (not one the server named)' : ''}`
        : 'client certificate sent';
    asked = `; ${sent}; ${describeRequest(request.acceptedIssuers, request.omitted)}`;
  }
  return `${h.details.protocol ?? 'TLS'} ${h.details.cipher ?? ''}; trusted by: ${h.details.trustSource}${asked}`;
}

/** The proxy for this URL: an explicit one, none, or the environment's (HTTPS_PROXY, NO_PROXY). */
function resolveProxy(explicit: string | null | undefined, url: string): URL | null {
  if (explicit === null) return null;
  const chosen = explicit ?? getProxyForUrl(url);
  if (!chosen) return null;
  try {
    const parsed = new URL(chosen.includes('://') ? chosen : `http://${chosen}`);
    if (parsed.protocol !== 'http:') throw new Error('unsupported');
    return parsed;
  } catch {
    throw new StepFailure('proxy-failure', 'the proxy address is not a valid http:// URL');
  }
}

/**
 * A product's own hint for this verdict; for Password Manager Pro's "not allowed to access from this
 * host", which names the host an API user is bound to, the addresses of this workstation too.
 */
function productHint(verdict: Verdict, context: VerdictContext, hints: TestTarget['hints']): string | undefined {
  if (verdict === 'auth-rejected' && PMP_WRONG_HOST.test(context.serverMessage ?? '')) {
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    return `A Password Manager Pro API user is bound to one host, and this is not it. This workstation is ${os.hostname()}${addresses.length ? ` (${addresses.slice(0, 4).join(', ')})` : ''}: add an API user for it, or use this connection from the host the API user names.`;
  }
  return hints?.[verdict];
}

/** The server's full message, when the report's one had to be shortened or cleaned. */
function fullMessageOf(answer: HttpAnswer | null, shown: string | undefined): { serverMessageFull?: string } {
  if (!answer || !shown) return {};
  const full = fullServerMessage(answer.body, answer.headers['content-type']);
  return full && full.replace(/\s+/g, ' ') !== shown ? { serverMessageFull: full } : {};
}
