/**
 * Validation issues in Korean and Japanese, for {@link formatCxError} (R51). The library words
 * its issues in English (`at most 20 characters, got 23`); each entry below recognises one kind
 * of English message, takes its figures and values, and words it again in each language. A
 * message no entry recognises still reads in the language, as a plain "this value is not valid"
 * (test/errors/issue-texts.test.ts collects the messages the library produces and checks that
 * every one is recognised, so a new or reworded message fails there until it has its entry).
 *
 * @module
 */

/** The languages beside English. */
export type IssueLocale = 'ko' | 'ja';

type Words = (match: RegExpExecArray) => string;
/** One kind of English message: how to recognise it, and its Korean and Japanese wording. */
type IssueText = readonly [pattern: RegExp, ko: Words, ja: Words];

/** Type names as `typeName` writes them (`got number`, `got array`, …). */
const TYPE_NAMES: Record<string, readonly [ko: string, ja: string]> = {
  string: ['문자열', '文字列'],
  number: ['숫자', '数値'],
  boolean: ['참/거짓 값', '真偽値'],
  object: ['객체', 'オブジェクト'],
  array: ['배열', '配列'],
  null: ['null', 'null'],
  undefined: ['undefined', 'undefined'],
  bigint: ['큰 정수(bigint)', '多倍長整数（bigint）'],
  symbol: ['심볼', 'シンボル'],
  function: ['함수', '関数'],
  date: ['날짜', '日付'],
  int: ['정수', '整数'],
  Uint8Array: ['Uint8Array', 'Uint8Array'],
  'another kind of typed array': ['다른 종류의 형식화 배열', '別の種類の型付き配列'],
};
const typeIn = (locale: 0 | 1, name: string | undefined) => {
  const known = name === undefined ? undefined : TYPE_NAMES[name.replace(/^an? /, '')];
  return known ? known[locale] : (name ?? '');
};
const koType = (name: string | undefined) => typeIn(0, name);
const jaType = (name: string | undefined) => typeIn(1, name);

/** Field names listed by the English message (`a, b`; an empty name as `""`), each quoted as the input spelt it. */
const quoted = (list: string | undefined) => (list ?? '').split(', ').map((name) => (name === '""' ? name : JSON.stringify(name))).join(', ');

/** A value the message quotes, after the sentence: ` ("Help-Desk")`. */
const ko = (value: string | undefined) => (value ? `(${koType(value)})` : '');
const ja = (value: string | undefined) => (value ? `（${jaType(value)}）` : '');

/** The kinds of characters a field may refuse (R48). */
const KO_CHARACTERS: Record<string, string> = {
  control: '제어 문자',
  'invisible format': '보이지 않는 서식 문자',
  'line or paragraph separators': '줄·문단 구분 문자',
  'bidirectional control': '양방향 제어 문자',
  'white space or invisible': '공백이나 보이지 않는 문자',
};
const JA_CHARACTERS: Record<string, string> = {
  control: '制御文字',
  'invisible format': '見えない書式文字',
  'line or paragraph separators': '行・段落区切り文字',
  'bidirectional control': '双方向制御文字',
  'white space or invisible': '空白や見えない文字',
};

const KO_INVALID = '값이 올바르지 않습니다.';
const JA_INVALID = '値が正しくありません。';

/**
 * The English messages of the library, most specific first. Each pattern matches a whole
 * message (a trailing hint after `;` may follow where the English adds one).
 */
const ISSUE_TEXTS: readonly IssueText[] = [
  // Presence and type (zod's issues worded by parse-input, identifiers, the image input).
  [/^(?:required|.+ is required)(?:[:,] .*)?$/s, () => '필수 항목입니다.', () => '必須項目です。'],
  [/^must be a whole number, got (.+)$/s, (m) => `정수여야 합니다${ko(m[1])}.`, (m) => `整数にしてください${ja(m[1])}。`],
  [/^must be at least (-?[\d.]+), got (.+)$/s, (m) => `${m[1]} 이상이어야 합니다${ko(m[2])}.`, (m) => `${m[1]}以上にしてください${ja(m[2])}。`],
  [/^must be at most (-?[\d.]+), got (.+)$/s, (m) => `${m[1]} 이하여야 합니다${ko(m[2])}.`, (m) => `${m[1]}以下にしてください${ja(m[2])}。`],
  [/^must be one of (.+), got (.+)$/s, (m) => `${m[1]} 중 하나여야 합니다${ko(m[2])}.`, (m) => `${m[1]}のいずれかにしてください${ja(m[2])}。`],
  [/^unknown field\(s\): (.+)$/s, (m) => `알 수 없는 항목: ${quoted(m[1])}`, (m) => `不明な項目: ${quoted(m[1])}`],
  [/^(?:does not match any allowed shape|must be (?:a range|a list of|an object of days|a holiday|an object \{|a MemberDirectory|a Store|the whole list)).*$/s, () => '형식이 올바르지 않습니다.', () => '形式が正しくありません。'],
  [/^could not (?:be read|read .*)$/s, () => '입력값을 읽을 수 없습니다.', () => '入力値を読み取れません。'],

  // Lengths (text fields, ids, lists).
  [/^at least (\d+) characters, got (\d+)$/, (m) => `${m[1]}자 이상이어야 합니다(현재 ${m[2]}자).`, (m) => `${m[1]}文字以上にしてください（現在 ${m[2]}文字）。`],
  [/^at most (\d+) characters, got far more/, (m) => `${m[1]}자 이하여야 합니다.`, (m) => `${m[1]}文字以内にしてください。`],
  [/^at most (\d+) characters, got (\d+)$/, (m) => `${m[1]}자 이하여야 합니다(현재 ${m[2]}자).`, (m) => `${m[1]}文字以内にしてください（現在 ${m[2]}文字）。`],
  [/^needs at least (\d+) item\(s\)/, (m) => `${m[1]}개 이상 필요합니다.`, (m) => `${m[1]}個以上必要です。`],
  [/^at most (\d+) (?:item\(s\)|ranges a day), got (\d+)$/, (m) => `${m[1]}개 이하여야 합니다(현재 ${m[2]}개).`, (m) => `${m[1]}個以下にしてください（現在 ${m[2]}個）。`],
  [/^must not be empty(?:;.*)?$/s, () => '비워 둘 수 없습니다.', () => '空にはできません。'],

  // Characters (R48).
  [/^holds a lone surrogate/, () => '올바른 텍스트가 아닙니다.', () => '正しいテキストではありません。'],
  [/^must not contain (control|invisible format|line or paragraph separators|bidirectional control|white space or invisible) .*\((U\+[0-9A-F]+)/, (m) => `${KO_CHARACTERS[m[1]!]}를 쓸 수 없습니다(${m[2]}).`, (m) => `${JA_CHARACTERS[m[1]!]}は使えません（${m[2]}）。`],
  [/^must not be blank: it shows nothing \((.+)\)$/s, (m) => `보이는 글자가 없습니다(${m[1]}).`, (m) => `見える文字がありません（${m[1]}）。`],

  // Account IDs (R5).
  [/^must start with a lowercase letter a-z or a digit 0-9, got (.+)$/s, (m) => `영문 소문자나 숫자로 시작해야 합니다${ko(m[1])}.`, (m) => `英小文字か数字で始めてください${ja(m[1])}。`],
  [/^only .*letters .*allowed.*, got (.+)$/s, (m) => `영문자와 숫자만 쓸 수 있습니다${ko(m[1])}.`, (m) => `英字と数字だけが使えます${ja(m[1])}。`],

  // Times, dates, time zones, schedules.
  [/^unknown time zone (.+)$/s, (m) => `알 수 없는 시간대입니다: ${m[1]}`, (m) => `不明なタイムゾーンです: ${m[1]}`],
  [/^must be an IANA time zone name/, () => 'IANA 시간대 이름이어야 합니다.', () => 'IANA タイムゾーン名にしてください。'],
  [/^must be HH:mm between 00:00 and 24:00, got (.+)$/s, (m) => `00:00~24:00의 HH:mm이어야 합니다${ko(m[1])}.`, (m) => `00:00〜24:00 の HH:mm にしてください${ja(m[1])}。`],
  [/^24:00 can only end a range/, () => '24:00은 끝 시각에만 쓸 수 있습니다.', () => '24:00 は終了時刻にだけ使えます。'],
  [/^must be after from(?: \((.+?)\))?/s, (m) => `시작(${m[1] ?? ''})보다 뒤여야 합니다.`.replace('()', ''), (m) => `開始（${m[1] ?? ''}）より後にしてください。`.replace('（）', '')],
  [/^overlaps range (\d+) \((.+)\)$/, (m) => `${m[1]}번 시간대(${m[2]})와 겹칩니다.`, (m) => `時間帯 ${m[1]}（${m[2]}）と重なっています。`],
  [/^must be a real date YYYY-MM-DD, got (.+)$/s, (m) => `실제 날짜(YYYY-MM-DD)여야 합니다${ko(m[1])}.`, (m) => `実在する日付（YYYY-MM-DD）にしてください${ja(m[1])}。`],
  [/^must be on or after start \((.+?)\)/s, (m) => `시작일(${m[1]}) 이후여야 합니다.`, (m) => `開始日（${m[1]}）以降にしてください。`],
  [/^must (?:be a (?:valid )?Date between|lie between) (\S+) and (\S+)/s, (m) => `${m[1]}~${m[2]}의 Date여야 합니다.`, (m) => `${m[1]}〜${m[2]} の Date にしてください。`],

  // Lists and references.
  [/^lists (.+) twice$/s, (m) => `중복되었습니다${/^an? /.test(m[1]!) ? '' : ko(m[1])}.`, (m) => `重複しています${/^an? /.test(m[1]!) ? '' : ja(m[1])}。`],
  [/^is not a cursor returned by (.+)$/s, (m) => `"${m[1]}"의 커서가 아닙니다.`, (m) => `"${m[1]}" のカーソルではありません。`],
  [/^a consultation room needs its customer$/, () => '상담방에는 고객이 필요합니다.', () => '相談ルームには顧客が必要です。'],
  [/^a group room has no customer$/, () => '그룹방에는 고객이 없습니다.', () => 'グループルームに顧客はいません。'],
  [/^must be another member than the one departing$/, () => '떠나는 구성원과 달라야 합니다.', () => '退職するメンバー以外にしてください。'],
  [/^an existing holiday cannot be changed/, () => '기존 휴일은 바꿀 수 없습니다. 삭제 후 추가하세요.', () => '既存の休日は変更できません。削除して追加してください。'],
  [/^only a detached dev_console bot can be attached/, () => '연결되지 않은 dev_console 봇만 연결할 수 있습니다.', () => '未接続の dev_console ボットだけ接続できます。'],

  // The contact URL base (config).
  [/^must (?:be an absolute|use https|not contain a user name|end in "\/")/, () => '"/"로 끝나는 https URL이어야 합니다.', () => '"/" で終わる https URL にしてください。'],

  // The image (R8).
  [/^(?:the extension must be lowercase|must end with \.png|needs a name before \.png|use only lowercase letters)/, () => '파일 이름은 logo.png처럼 소문자와 숫자, .png여야 합니다.', () => 'ファイル名は logo.png のように小文字・数字と .png にしてください。'],
  [/^(?:the file is|this file is) .*smaller than 10 MiB/s, () => '10 MiB보다 작아야 합니다.', () => '10 MiB 未満にしてください。'],
  [/^image is (\d+) × (\d+) pixels, at most (\d+) × (\d+)/, (m) => `${m[3]}×${m[4]}픽셀 이하여야 합니다(현재 ${m[1]}×${m[2]}).`, (m) => `${m[3]}×${m[4]}ピクセル以下にしてください（現在 ${m[1]}×${m[2]}）。`],
  [/^(?:the file is|this file is|the file could not|the file has|the PNG|must be (?:the bytes of a PNG|a Uint8Array))/, () => '올바른 PNG 파일이 아닙니다.', () => '正しい PNG ファイルではありません。'],
  [/^must be (?:an? )?(\w+)(?: \(.*\))?(?:, got (.+))?$/s, (m) => `${koType(m[1])} 형식이어야 합니다${ko(m[2])}.`, (m) => `${jaType(m[1])}形式にしてください${ja(m[2])}。`],
  [/^invalid (?:image|input|value)$/, () => KO_INVALID, () => JA_INVALID],
];

/** Field names as they appear first in an issue path, in each language. */
const FIELD_LABELS: Record<string, readonly [ko: string, ja: string]> = {
  name: ['이름', '名前'],
  id: ['계정 ID', 'アカウントID'],
  description: ['설명', '説明'],
  productId: ['상품 ID', '商品ID'],
  quantity: ['수량', '購入数'],
  seatLimit: ['좌석 한도', '席数の上限'],
  agentIds: ['상담원', '担当者'],
  image: ['이미지', '画像'],
  timeZone: ['시간대', 'タイムゾーン'],
  weeklyHours: ['주간 상담 시간', '週間の対応時間'],
  holidays: ['휴일', '休日'],
  welcomeMessage: ['환영 메시지', 'ウェルカムメッセージ'],
  awayMessage: ['부재 메시지', '不在メッセージ'],
  holidayMessage: ['휴일 메시지', '休日メッセージ'],
  content: ['메시지 내용', 'メッセージ本文'],
  at: ['시각', '時刻'],
  messageId: ['메시지 ID', 'メッセージID'],
  customerId: ['고객 ID', '顧客ID'],
  memberId: ['구성원 ID', 'メンバーID'],
  domainId: ['도메인 ID', 'ドメインID'],
  accountId: ['계정 ID', 'アカウントID'],
  cursor: ['커서', 'カーソル'],
  limit: ['개수', '件数'],
  options: ['옵션', 'オプション'],
  from: ['시작', '開始'],
  to: ['끝', '終了'],
  start: ['시작일', '開始日'],
  end: ['종료일', '終了日'],
  label: ['이름표', 'ラベル'],
  format: ['형식', '形式'],
  size: ['크기', 'サイズ'],
};

const localeIndex = (locale: IssueLocale): 0 | 1 => (locale === 'ko' ? 0 : 1);

/**
 * An issue's path for a person: the field's name in the language, with the path as the API
 * spells it after it (`이름(name)`, `주간 상담 시간(weeklyHours.mon.1.to)`); a path whose first
 * field has no name here is shown as it is.
 */
export function localIssuePath(path: string, locale: IssueLocale): string {
  const first = path.split('.', 1)[0] ?? '';
  const label = Object.prototype.hasOwnProperty.call(FIELD_LABELS, first) ? FIELD_LABELS[first]![localeIndex(locale)] : undefined;
  return label === undefined ? path : `${label}(${path})`;
}

/** The entry that recognises an English issue message, if any. */
function recognise(message: string): { text: IssueText; match: RegExpExecArray } | undefined {
  for (const text of ISSUE_TEXTS) {
    const match = text[0].exec(message);
    if (match) return { text, match };
  }
  return undefined;
}

/** Whether an English issue message has its Korean and Japanese wording (for tests). */
export function isRecognisedIssue(message: string): boolean {
  return recognise(message) !== undefined;
}

/**
 * An English issue message in Korean or Japanese; a message this version does not know reads
 * as "this value is not valid" in the language. Never throws.
 */
export function localIssueMessage(message: string, locale: IssueLocale): string {
  const fallback = locale === 'ko' ? KO_INVALID : JA_INVALID;
  try {
    const found = typeof message === 'string' ? recognise(message) : undefined;
    if (found === undefined) return fallback;
    return locale === 'ko' ? found.text[1](found.match) : found.text[2](found.match);
  } catch {
    return fallback;
  }
}
