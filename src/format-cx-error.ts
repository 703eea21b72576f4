/**
 * Person-readable sentences for a {@link CxError}, in English, Korean and Japanese.
 *
 * @module
 */
import type { CxError, NotFoundEntity, RuleErrorCode, ValidationIssue } from './errors.js';
import { localIssueMessage, localIssuePath } from './issue-texts.js';

/**
 * The languages {@link formatCxError} writes.
 *
 * @category Errors
 */
export type CxErrorLocale = 'en' | 'ko' | 'ja';

/**
 * The languages {@link formatCxError} writes, English (the fallback) first.
 *
 * @category Errors
 */
export const CX_ERROR_LOCALES: readonly CxErrorLocale[] = ['en', 'ko', 'ja'];

/** Everything one language needs; typed by the error codes, so a new code fails to compile here. */
type LocaleTexts = {
  invalidInput: string;
  notFound: Record<NotFoundEntity, string>;
  /** For a `not_found` whose entity this version does not know. */
  somethingNotFound: string;
  /** For an error whose code this version does not know and that has no message. */
  requestFailed: string;
  rules: Record<RuleErrorCode, string>;
  storeFailure: string;
  /** When the store cannot say whether the change was kept (`outcome: 'unknown'`). */
  storeOutcomeUnknown: string;
  directoryFailure: string;
  internal: string;
  configInvalid: string;
  /** Joins a rule's explanation and its detail. */
  withDetail: (explanation: string, detail: string) => string;
  /**
   * The detail of a rule error in the language, from the figures it carries; `undefined` for
   * English, which shows the error's own message.
   */
  ruleDetail?: (error: CxError) => string | undefined;
  /** Joins the lead sentence of a validation error and its issue list. */
  withIssues: (lead: string, issues: string) => string;
};

const ENGLISH: LocaleTexts = {
  invalidInput: 'Some of the input is not valid.',
  notFound: {
    account: 'The consultation account was not found.',
    product: 'The product was not found.',
    member: 'The member was not found.',
    agent: 'The agent was not found on this account.',
    contact: 'The customer is not a contact of this account.',
    holiday: 'The holiday was not found.',
    room: 'The conversation room was not found.',
    backup: 'The history backup was not found.',
    bot: 'The bot was not found.',
    webhook: 'The webhook endpoint was not found.',
  },
  somethingNotFound: 'What was asked for was not found.',
  requestFailed: 'The request could not be completed.',
  rules: {
    name_taken:
      'Another active account of this company already has this name (names are compared ignoring letter case and full-width forms).',
    id_taken: 'This account ID is already used by an active account; IDs are unique across all companies.',
    product_unavailable:
      'Every purchased unit of this product is in use. Buy more units, or reset an account that uses the product.',
    seat_limit_exceeded: "The account would have more agents than its product's seat limit allows.",
    quantity_below_usage: 'The quantity cannot be lower than the number of active accounts already on this product.',
    last_agent: 'An account keeps at least one agent: add another agent before removing this one.',
    already_agent: 'This member is already an agent of the account.',
    holiday_in_past: "A holiday cannot start before today in the account's time zone.",
    holiday_overlap: 'This holiday overlaps another holiday of the account.',
    version_conflict: 'Someone else changed this account in the meantime. Load it again and retry.',
    backup_not_ready: 'The backup is not finished yet; download it once its status is ready.',
    channel_disconnected: 'This external channel is off for the account; turn it on in the settings first.',
  },
  storeFailure: 'The data store could not complete the request, so nothing was changed. Please try again later.',
  storeOutcomeUnknown: 'The data store was lost while saving: the change may or may not be kept. Retry with the same message id.',
  directoryFailure: 'The member directory failed, so nothing was changed. Try again later.',
  internal: 'An internal error in cx-accounts; nothing was changed. Please report it.',
  configInvalid: 'cx-accounts is set up with invalid options:',
  withDetail: (explanation, detail) => `${explanation} Details: ${detail}`,
  withIssues: (lead, issues) => `${lead} ${issues}`,
};

const KOREAN: LocaleTexts = {
  invalidInput: '입력값 중 올바르지 않은 것이 있습니다.',
  notFound: {
    account: '상담 계정을 찾을 수 없습니다.',
    product: '상품을 찾을 수 없습니다.',
    member: '구성원을 찾을 수 없습니다.',
    agent: '이 계정에서 상담원을 찾을 수 없습니다.',
    contact: '이 고객은 이 계정의 연락처에 없습니다.',
    holiday: '휴일을 찾을 수 없습니다.',
    room: '대화방을 찾을 수 없습니다.',
    backup: '대화 이력 백업을 찾을 수 없습니다.',
    bot: '봇을 찾을 수 없습니다.',
    webhook: '웹훅 엔드포인트를 찾을 수 없습니다.',
  },
  somethingNotFound: '요청한 항목을 찾을 수 없습니다.',
  requestFailed: '요청을 처리하지 못했습니다.',
  rules: {
    name_taken: '이 회사의 다른 활성 계정이 이미 같은 이름을 쓰고 있습니다(대소문자와 전각·반각 차이는 구분하지 않습니다).',
    id_taken: '이 계정 ID는 이미 활성 계정이 쓰고 있습니다. ID는 모든 회사를 통틀어 하나만 존재할 수 있습니다.',
    product_unavailable: '이 상품의 구매 수량을 모두 사용 중입니다. 수량을 늘리거나 이 상품을 쓰는 계정을 초기화하세요.',
    seat_limit_exceeded: '상담원 수가 상품의 좌석 한도를 넘게 됩니다.',
    quantity_below_usage: '수량을 이 상품을 이미 쓰고 있는 활성 계정 수보다 적게 할 수 없습니다.',
    last_agent: '계정에는 상담원이 적어도 한 명 있어야 합니다. 다른 상담원을 먼저 추가한 뒤 삭제하세요.',
    already_agent: '이 구성원은 이미 이 계정의 상담원입니다.',
    holiday_in_past: '휴일은 계정 시간대 기준으로 오늘보다 이전에 시작할 수 없습니다.',
    holiday_overlap: '이 휴일이 계정의 다른 휴일과 겹칩니다.',
    version_conflict: '그사이 다른 사람이 이 계정을 변경했습니다. 다시 불러온 뒤 재시도하세요.',
    backup_not_ready: '백업이 아직 완료되지 않았습니다. 상태가 ready가 되면 내려받으세요.',
    channel_disconnected: '이 외부 채널은 꺼져 있습니다. 설정에서 켜세요.',
  },
  storeFailure: '데이터 저장소가 요청을 처리하지 못해 아무것도 변경되지 않았습니다. 잠시 후 다시 시도하세요.',
  storeOutcomeUnknown: '저장 중 연결이 끊겨 반영 여부를 알 수 없습니다. 같은 메시지 ID로 다시 시도하세요.',
  directoryFailure: '구성원 디렉터리 오류로 변경되지 않았습니다. 다시 시도하세요.',
  internal: 'cx-accounts 내부 오류로 변경되지 않았습니다. 알려 주세요.',
  configInvalid: 'cx-accounts 설정 옵션이 올바르지 않습니다:',
  withDetail: (explanation, detail) => `${explanation} 상세: ${detail}`,
  ruleDetail: (error) => {
    switch (error.code) {
      case 'seat_limit_exceeded':
        return `상담원 ${error.requested}명은 상품 "${error.productId}"의 좌석 한도 ${error.seatLimit}명을 넘습니다.`;
      case 'product_unavailable':
        return `상품 "${error.productId}"의 구매 수량 ${error.quantity}개 중 ${error.inUse}개를 사용 중입니다.`;
      case 'quantity_below_usage':
        return `수량 ${error.quantity}개는 상품 "${error.productId}"을(를) 쓰는 활성 계정 ${error.inUse}개보다 적습니다.`;
      case 'last_agent':
        return `해당 계정: ${error.accountIds.join(', ')}`;
      default:
        return undefined;
    }
  },
  withIssues: (lead, issues) => `${lead} ${issues}`,
};

const JAPANESE: LocaleTexts = {
  invalidInput: '入力内容に正しくないものがあります。',
  notFound: {
    account: '相談アカウントが見つかりません。',
    product: '商品が見つかりません。',
    member: 'メンバーが見つかりません。',
    agent: 'このアカウントに担当者が見つかりません。',
    contact: 'このお客様はこのアカウントの連絡先にいません。',
    holiday: '休日が見つかりません。',
    room: 'トークルームが見つかりません。',
    backup: '会話履歴のバックアップが見つかりません。',
    bot: 'ボットが見つかりません。',
    webhook: 'ウェブフックのエンドポイントが見つかりません。',
  },
  somethingNotFound: '指定されたものが見つかりません。',
  requestFailed: 'リクエストを処理できませんでした。',
  rules: {
    name_taken:
      'この会社の別の有効なアカウントがすでに同じ名前を使っています（大文字・小文字や全角・半角の違いは区別しません）。',
    id_taken: 'このアカウントIDはすでに有効なアカウントで使われています。IDはすべての会社を通じて一意です。',
    product_unavailable:
      'この商品の購入数はすべて使用中です。購入数を増やすか、この商品を使うアカウントをリセットしてください。',
    seat_limit_exceeded: '担当者の数が商品の席数の上限を超えてしまいます。',
    quantity_below_usage: '購入数を、この商品をすでに使っている有効なアカウントの数より少なくすることはできません。',
    last_agent: 'アカウントには担当者が1人以上必要です。別の担当者を追加してから削除してください。',
    already_agent: 'このメンバーはすでにこのアカウントの担当者です。',
    holiday_in_past: '休日は、アカウントのタイムゾーンで今日より前の日から始めることはできません。',
    holiday_overlap: 'この休日はアカウントの別の休日と重なっています。',
    version_conflict: 'その間に別の人がこのアカウントを変更しました。読み込み直してから再度お試しください。',
    backup_not_ready: 'バックアップはまだ完了していません。状態が ready になってからダウンロードしてください。',
    channel_disconnected: 'この外部チャネルはオフです。設定でオンにしてください。',
  },
  storeFailure: 'データストアがリクエストを処理できなかったため、何も変更されていません。しばらくしてから再度お試しください。',
  storeOutcomeUnknown: '保存中に接続が切れ、反映されたか不明です。同じメッセージIDで再試行してください。',
  directoryFailure: 'メンバーディレクトリのエラーで変更されていません。再試行してください。',
  internal: 'cx-accounts の内部エラーで変更されていません。報告してください。',
  configInvalid: 'cx-accounts の設定オプションが正しくありません:',
  withDetail: (explanation, detail) => `${explanation}詳細: ${detail}`,
  ruleDetail: (error) => {
    switch (error.code) {
      case 'seat_limit_exceeded':
        return `担当者${error.requested}人は商品「${error.productId}」の席数の上限（${error.seatLimit}人）を超えます。`;
      case 'product_unavailable':
        return `商品「${error.productId}」の購入数${error.quantity}のうち${error.inUse}を使用中です。`;
      case 'quantity_below_usage':
        return `購入数${error.quantity}は、商品「${error.productId}」を使う有効なアカウント数${error.inUse}より少なくなります。`;
      case 'last_agent':
        return `対象のアカウント: ${error.accountIds.join('、')}`;
      default:
        return undefined;
    }
  },
  withIssues: (lead, issues) => `${lead}${issues}`,
};

const TEXTS: Record<CxErrorLocale, LocaleTexts> = { en: ENGLISH, ko: KOREAN, ja: JAPANESE };

/**
 * The language {@link formatCxError} writes for a locale tag: its primary subtag when that is
 * `en`, `ko` or `ja` (`ko-KR` → `ko`, `ja_JP` → `ja`), otherwise English.
 *
 * @example
 * ```ts
 * cxErrorLocale('ko-KR'); // → 'ko'
 * cxErrorLocale('fr');    // → 'en'
 * ```
 *
 * @category Errors
 */
export function cxErrorLocale(locale: unknown): CxErrorLocale {
  if (typeof locale !== 'string') return 'en';
  const primary = locale.trim().split(/[-_]/, 1)[0]?.toLowerCase();
  return CX_ERROR_LOCALES.find((known) => known === primary) ?? 'en';
}

const hasOwn = (table: object, key: string) => Object.prototype.hasOwnProperty.call(table, key);

/** An issue as `path: message`, in the language (the message alone when it has no path). */
function issueLine(issue: ValidationIssue | null | undefined, locale: CxErrorLocale): string {
  const path = typeof issue?.path === 'string' ? issue.path : '';
  const raw = typeof issue?.message === 'string' ? issue.message : '';
  if (locale === 'en') return path ? `${path}: ${raw}` : raw;
  const message = localIssueMessage(raw, locale);
  return path ? `${localIssuePath(path, locale)}: ${message}` : message;
}

/** Every issue of a list, joined for the language; `undefined` when there is none. */
function issueList(issues: unknown, locale: CxErrorLocale): string | undefined {
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const lines = (issues as (ValidationIssue | null)[]).map((issue) => issueLine(issue, locale)).filter((line) => line !== '');
  return lines.length > 0 ? lines.join(locale === 'en' ? '; ' : locale === 'ko' ? ' ' : '') : undefined;
}

/**
 * A sentence a person can read for an error, in English, Korean or Japanese (R51).
 *
 * - `validation`: a lead sentence in the locale, then each issue as `path: message` (joined by
 *   `; ` in English). In Korean and Japanese the message is worded in the language and the
 *   field named in it before its path (`이름(name): 20자 이하여야 합니다(현재 23자).`).
 * - `not_found`: names what was not found (account, product, member, …) in the locale.
 * - rule errors (`seat_limit_exceeded`, `name_taken`, …): what the rule is and what to do; in
 *   English followed by the error's message (which names the values involved), in Korean and
 *   Japanese by the figures the error carries (`seatLimit`, `inUse`, `accountIds`, …).
 * - `store_failure`: that nothing was changed and to try again (or, with `outcome: 'unknown'`,
 *   that nobody knows whether it was kept); the cause is never shown. `directory_failure` and
 *   `internal` likewise; `config_invalid` lists the options at fault.
 *
 * `locale` is a BCP 47 tag such as `'ko'`, `'ko-KR'` or `'ja-JP'`; anything other than
 * English, Korean or Japanese falls back to English. The function never throws: an object
 * with an unknown `code` answers its own `message` in English, and a general sentence in
 * Korean and Japanese.
 *
 * @example
 * ```ts
 * import { formatCxError } from 'cx-accounts';
 *
 * const result = await cx.agents.add('acme', 'help', ['u3']);
 * if (result.isErr()) {
 *   showToast(formatCxError(result.error, navigator.language));
 *   // ko-KR → '상담원 수가 상품의 좌석 한도를 넘게 됩니다. 상세: 상담원 3명은 상품 "basic"의 좌석 한도 2명을 넘습니다.'
 * }
 * ```
 *
 * @category Errors
 */
export function formatCxError(error: CxError, locale: CxErrorLocale | (string & {}) = 'en'): string {
  const language = cxErrorLocale(locale);
  const texts = TEXTS[language];
  const english = language === 'en';
  const message = typeof error?.message === 'string' ? error.message : '';
  switch (error?.code) {
    case 'validation': {
      const listed = issueList(error.issues, language) ?? (english ? message : undefined);
      return listed ? texts.withIssues(texts.invalidInput, listed) : texts.invalidInput;
    }
    case 'not_found':
      if (hasOwn(texts.notFound, String(error.entity))) return texts.notFound[error.entity];
      return message && english ? texts.withDetail(texts.somethingNotFound, message) : texts.somethingNotFound;
    case 'store_failure':
      return error.outcome === 'unknown' ? texts.storeOutcomeUnknown : texts.storeFailure;
    case 'directory_failure':
      return texts.directoryFailure;
    case 'internal':
      return texts.internal;
    case 'config_invalid': {
      const listed = issueList(error.issues, language) ?? (english ? message : undefined);
      return listed ? texts.withIssues(texts.configInvalid, listed) : texts.configInvalid;
    }
    default: {
      const code = error?.code as string | undefined;
      if (code !== undefined && hasOwn(texts.rules, code)) {
        const explanation = texts.rules[code as RuleErrorCode];
        const detail = english ? message : safeDetail(texts, error);
        return detail ? texts.withDetail(explanation, detail) : explanation;
      }
      return english ? message || texts.requestFailed : texts.requestFailed;
    }
  }
}

/** A rule error's detail in the language, or nothing when its figures are missing or unreadable. */
function safeDetail(texts: LocaleTexts, error: CxError): string | undefined {
  try {
    return texts.ruleDetail?.(error);
  } catch {
    return undefined;
  }
}
