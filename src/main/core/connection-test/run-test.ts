// One connection test, step by step: address, dns, tcp, (proxy), tls, http, auth. Each step is
// timed and leaves evidence; the first that fails gives the verdict. The secret is sent only after
// the server's certificate was accepted, only to the address the admin entered, on a connection
// opened for this test alone (no keep-alive, no TLS session reuse).
import net from 'node:net';
import { getProxyForUrl } from 'proxy-from-env';
import type { CertificateSummary, TestReport, TestStep, TlsDetails, Verdict } from '../../../shared/types';
import { PRESETS } from '../../../shared/presets';
import { parseServerAddress } from '../address/parse-address';
import {
  authHeaders,
  secretsOf,
  type AuthSpec,
} from './auth-methods';
import { classifyError } from './classify-error';
import { sendRequest, type HttpAnswer } from './http-request';
import { judgeAnswer, type SuccessRule } from './judge';
import { redactReport, redactStep } from './redact';
import { fullServerMessage } from './server-message';
import { StepFailure, StepLog } from './steps';
import { TlsFailure } from './tls-failure';
import type { ClientCertificate, TrustOptions } from './tls-handshake';
import { exchangeAccessKey } from './passportal-exchange';
import { TestConnections, type PostHandshakeEnd, type ReachedAddress } from './test-connections';
import { VERDICT_TEXTS, type VerdictContext } from './verdicts';
import { productHint, type Workstation } from './product-hints';

export type { AuthSpec } from './auth-methods';
export type { ClientCertificate, TrustOptions } from './tls-handshake';

export interface TestTarget {
  serverAddress: string;
  auth: AuthSpec;
  trust: TrustOptions;
  /** Path (and query) to test: the caller takes it from the product (shared/presets.ts); default the generic product's. */
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
  /** This machine's names, for hints that name it (product-hints.ts); default from os. */
  workstation?: () => Workstation;
}

const DEFAULT_TIMEOUT_MS = 20_000;

interface Phases {
  connect: number;
  response: number;
}

/**
 * Each phase gets its own bound inside the test's: connecting (DNS, TCP, tunnel, handshake) at most
 * half of it and 5 s, so a dead address fails as a connection problem with time left to say so;
 * the answer at most three quarters and 10 s, so a slow server is reported as slow (the phase named)
 * before the whole test runs out.
 */
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

  let address: ReachedAddress | null = null;
  let connections: TestConnections | null = null;
  // A certificate refused in the handshake travels on its failure (tls-handshake.ts), for the report.
  let refused: { details: TlsDetails; leaf: CertificateSummary | null } | null = null;
  let answer: HttpAnswer | null = null;
  let accessTokenExpiresAt: string | undefined;
  const deadline = performance.now() + total;
  const shownTls = (): TlsDetails | null => refused?.details ?? connections?.tls ?? null;
  const shownLeaf = (): CertificateSummary | null => refused?.leaf ?? connections?.leaf ?? null;

  const report = (verdict: Verdict, context: Partial<VerdictContext>, expectedPin?: string): TestReport => {
    const leaf = shownLeaf();
    const tls = shownTls();
    const full: VerdictContext = {
      host: address?.hostname ?? '',
      port: address?.port ?? 0,
      url: address?.testUrl ?? '',
      ...(leaf ? { certificateNames: leaf.subjectAltNames } : {}),
      ...requestFacts(tls?.clientCertificateRequest),
      ...context,
    };
    const text = VERDICT_TEXTS[verdict];
    return redactReport({
      ok: verdict === 'ok',
      verdict,
      title: text.title,
      message: text.message(full),
      hint: productHint(verdict, full, target.hints, env.workstation) ?? text.hint(full),
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

  /** The post-handshake retry decided the test: the certificate cannot be given this way. */
  const postHandshakeEnd = (ended: PostHandshakeEnd): TestReport => {
    answer = ended.first;
    return report('tls-client-cert-required', { status: 403, postHandshake: ended.end });
  };

  try {
    address = await log.run(
      'address',
      async () => {
        const parsed = parseServerAddress(target.serverAddress, target.endpoint ?? PRESETS.generic.endpoint, target.defaultPort);
        if (!parsed.ok) throw new StepFailure('invalid-address', parsed.message);
        if (parsed.insecureHttp && !target.allowInsecureHttp) throw new StepFailure('insecure-http-refused', `${parsed.testUrl} is plain http://`);
        return parsed;
      },
      (a) => a.testUrl,
    );
    if (address.insecureHttp) warnings.push('Insecure HTTP was allowed: the secret crossed the network unencrypted.');

    const proxyUrl = resolveProxy(target.proxy, address.testUrl);
    if (proxyUrl?.password) secrets.push(decodeURIComponent(proxyUrl.password));
    const headers = { 'user-agent': env.userAgent ?? 'Keybridge' };
    const opened = new TestConnections(
      { address, proxy: proxyUrl, trust: target.trust, clientCertificate: target.clientCertificate, log, connectMs: phases.connect, signal, deadline, timedOut: () => timedOut },
      warnings,
    );
    connections = opened;
    let socket = await opened.open(true);

    let accessToken: string | undefined;
    if (target.auth.method === 'passportal-hmac') {
      const exchanged = await exchangeAccessKey(socket, {
        auth: target.auth,
        origin: address.origin,
        headers,
        log,
        connections: opened,
        responseMs: phases.response,
        signal,
        secrets,
      });
      if ('end' in exchanged) return postHandshakeEnd(exchanged);
      if (!exchanged.ok) {
        answer = exchanged.answer;
        return report(exchanged.verdict, { status: exchanged.answer.status, serverMessage: exchanged.serverMessage });
      }
      accessToken = exchanged.accessToken;
      secrets.push(accessToken);
      accessTokenExpiresAt = exchanged.expiresAt;
      socket = await opened.open(false);
    }

    const exchangeStep = log.ms('http');
    const get = (over: net.Socket, note = ''): Promise<HttpAnswer> =>
      log.run(
        'http',
        () =>
          opened.afterHandshake(
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
    const got = await opened.postHandshakeAuth(await get(socket), get);
    if ('end' in got) return postHandshakeEnd(got);
    const final = got.answer;
    answer = final;
    if (target.document && final.status >= 200 && final.status < 300) target.document.onBody(final.body, final.headers['content-type']);
    const judged = judgeAnswer(final, target.successRule, secrets);
    // A server that answers "certificate required" with an error page (nginx's 400) to a client
    // that sent one has refused that certificate ("The SSL certificate error").
    if (judged.verdict === 'tls-client-cert-required' && target.clientCertificate) judged.verdict = 'tls-client-cert-rejected';
    // The server's request is read on demand (TLS 1.3: decrypted); the verdict's message names it.
    const shown = opened.tls;
    if (judged.verdict.startsWith('tls-client-cert') && shown && !shown.clientCertificateRequest) {
      const request = await opened.clientCertificateRequest();
      if (request) shown.clientCertificateRequest = request;
    }
    if (judged.verdict === 'ok' && !/json/i.test(final.headers['content-type'] ?? '')) {
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
    // What the judgement learnt (accepted issuers, the alert, legacy versions) goes to the message.
    const { silentAfterClientHello: _internal, ...facts } = failure instanceof TlsFailure ? failure.facts : {};
    refused = (error as { handshake?: { details: TlsDetails; leaf: CertificateSummary | null } }).handshake ?? null;
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
        actualPin: shownLeaf()?.spkiSha256,
        ...facts,
      },
      expectedPin,
    );
  } finally {
    clearTimeout(overall);
    target.signal?.removeEventListener('abort', onCancel);
    connections?.close();
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

/** The server's full message, when the report's one had to be shortened or cleaned. */
function fullMessageOf(answer: HttpAnswer | null, shown: string | undefined): { serverMessageFull?: string } {
  if (!answer || !shown) return {};
  const full = fullServerMessage(answer.body, answer.headers['content-type']);
  return full && full.replace(/\s+/g, ' ') !== shown ? { serverMessageFull: full } : {};
}
