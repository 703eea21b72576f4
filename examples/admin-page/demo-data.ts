/**
 * Demo data for the admin page: one company, its products and members, three accounts with
 * their settings, and a week of messages with automatic replies and agents' answers.
 */
import type { CxAccounts, CxError, Member, ResultAsync } from '../../src/index.js';

export const DEMO_DOMAIN = 'acme';

export const DEMO_MEMBERS: readonly Member[] = [
  { id: 'u1', name: '김민지', email: 'minji@acme.test' },
  { id: 'u2', name: '이서준', email: 'seojun@acme.test' },
  { id: 'u3', name: '박지우', email: 'jiwoo@acme.test' },
  { id: 'u4', name: '최하은', email: 'haeun@acme.test' },
  { id: 'u5', name: '정도윤', email: 'doyun@acme.test' },
  { id: 'u6', name: 'Alex Kim', email: 'alex@acme.test' },
  { id: 'u7', name: 'Sam Lee', email: 'sam@acme.test' },
  { id: 'u8', name: '윤수아', email: 'sua@acme.test' },
];

const CUSTOMERS = [
  { customerId: 'c1', name: '한지민', channel: 'line' },
  { customerId: 'c2', name: '오세훈', channel: 'lineworks' },
  { customerId: 'c3', name: 'Mina Cho', channel: 'mail' },
  { customerId: 'c4', name: '강태오', channel: 'line' },
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Fills an empty store through the public API, acting as `admin:u1`. Answers the first error,
 * so a demo that cannot be set up says why.
 */
export async function seedDemo(cx: CxAccounts, now: Date): Promise<string | null> {
  const admin = cx.as('admin:u1');
  const check = async (label: string, result: ResultAsync<unknown, CxError>): Promise<string | null> => {
    const answer = await result;
    return answer.isErr() ? `${label}: ${answer.error.message}` : null;
  };
  const products = [
    { productId: 'basic', name: 'Basic', seatLimit: 1, quantity: 3 },
    { productId: 'standard', name: 'Standard', seatLimit: 3, quantity: 5 },
    { productId: 'premium', name: 'Premium', seatLimit: 10, quantity: 2 },
  ];
  for (const product of products) {
    const failed = await check(`product ${product.productId}`, admin.products.set(DEMO_DOMAIN, product));
    if (failed) return failed;
  }
  const accounts = [
    { productId: 'standard', name: '고객센터', id: 'help', description: '주문·배송·교환 문의', agentIds: ['u1', 'u2'] },
    { productId: 'basic', name: '영업 상담', id: 'sales', description: '도입 상담과 견적', agentIds: ['u3'] },
    { productId: 'standard', name: '결제 문의', id: 'billing', description: null, agentIds: ['u4', 'u5'] },
  ];
  for (const account of accounts) {
    const failed = await check(`account ${account.id}`, admin.accounts.create(DEMO_DOMAIN, account));
    if (failed) return failed;
    const configured = await check(`settings of ${account.id}`, admin.settings.update(DEMO_DOMAIN, account.id, {
      welcomeMessage: `${account.name}입니다. 무엇을 도와드릴까요?`,
      awayMessage: '지금은 상담 시간이 아닙니다. 평일 09:00부터 답변드립니다.',
      holidayMessage: '오늘은 휴일입니다. 다음 영업일에 답변드립니다.',
      weeklyHours: { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }] },
    }));
    if (configured) return configured;
  }
  // A week of conversations on the help desk: each customer writes once a day and an agent answers.
  for (const customer of CUSTOMERS) {
    const added = await check(`contact ${customer.customerId}`, cx.conversations.addContact(DEMO_DOMAIN, 'help', customer));
    if (added) return added;
  }
  for (let day = 7; day >= 1; day -= 1) {
    for (const [index, customer] of CUSTOMERS.entries()) {
      const at = new Date(now.getTime() - day * DAY_MS + index * 37 * 60 * 1000);
      const received = await check('message', cx.conversations.receiveMessage(DEMO_DOMAIN, 'help', {
        customerId: customer.customerId,
        channel: customer.channel,
        content: `${day}일 전 문의: 주문 번호 ${1000 + day * 10 + index} 배송은 언제 되나요?`,
        at,
      }));
      if (received) return received;
      const answered = await check('reply', cx.conversations.sendMessage(DEMO_DOMAIN, 'help', {
        agentId: index % 2 === 0 ? 'u1' : 'u2',
        customerId: customer.customerId,
        content: `안녕하세요 ${customer.name} 님, 주문 ${1000 + day * 10 + index}은(는) 내일 출고됩니다.`,
        at: new Date(at.getTime() + 5 * 60 * 1000),
      }));
      if (answered) return answered;
    }
  }
  const bots = [
    { botId: 'faq-bot', name: 'FAQ 봇', origin: 'admin' as const },
    { botId: 'order-bot', name: '주문 조회 봇', origin: 'dev_console' as const },
  ];
  for (const bot of bots) {
    const failed = await check(`bot ${bot.botId}`, admin.bots.register(DEMO_DOMAIN, 'help', bot));
    if (failed) return failed;
  }
  const room = await check('room', admin.conversations.openRoom(DEMO_DOMAIN, 'help', { kind: 'group', agentIds: ['u1', 'u2'] }));
  return room;
}
