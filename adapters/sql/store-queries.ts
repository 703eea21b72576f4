import { queryShape, type QueryShape } from './prepared-queries.js';
import { ACCOUNT_CHANGE_COLUMNS, ACCOUNT_INSERT_COLUMNS } from './record-rows.js';

/**
 * The statements of the SQL store's transactions, one shape each (see `prepared-queries.ts`).
 * Arguments are positional, in the order each builder names them.
 *
 * @module
 */

export const GET_PRODUCT = queryShape('getProduct', (q, [domain, product]) =>
  q.selectFrom('cx_products').selectAll().where('domain_id', '=', domain).where('product_id', '=', product),
);

export const LIST_PRODUCTS = queryShape('listProducts', (q, [domain]) => q.selectFrom('cx_products').selectAll().where('domain_id', '=', domain));

export const PRODUCT_USAGE = queryShape('productUsage', (q, [domain]) =>
  q
    .selectFrom('cx_accounts')
    .select((eb) => ['product_id', eb.fn.countAll().as('in_use'), eb.fn.max('agent_count').as('max_agents')])
    .where('active_domain_id', '=', domain)
    .groupBy('product_id'),
);

export const FIND_ACCOUNT = queryShape('findAccount', (q, [id, domain]) =>
  q.selectFrom('cx_accounts').selectAll().where('active_id', '=', id).where('domain_id', '=', domain),
);

export const IS_ACCOUNT_ID_ACTIVE = queryShape('isAccountIdActive', (q, [id]) => q.selectFrom('cx_accounts').select('key').where('active_id', '=', id));

export const ACCOUNT_WITH_NAME = queryShape('accountWithName', (q, [domain, hash]) =>
  q.selectFrom('cx_accounts').select('key').where('domain_id', '=', domain).where('active_name_hash', '=', hash),
);

/** Arguments: the values of `ACCOUNT_INSERT_COLUMNS`. */
export const INSERT_ACCOUNT = queryShape('insertAccount', (q, params) =>
  q.insertInto('cx_accounts').values(Object.fromEntries(ACCOUNT_INSERT_COLUMNS.map((column, index) => [column, params[index]])) as never),
);

/** Arguments: the values of `ACCOUNT_CHANGE_COLUMNS`, then key, then domain. */
export const UPDATE_ACCOUNT = queryShape('updateAccount', (q, params) =>
  q
    .updateTable('cx_accounts')
    .set(Object.fromEntries(ACCOUNT_CHANGE_COLUMNS.map((column, index) => [column, params[index]])))
    .where('key', '=', params[ACCOUNT_CHANGE_COLUMNS.length])
    .where('domain_id', '=', params[ACCOUNT_CHANGE_COLUMNS.length + 1]),
);

export const ACCOUNT_AGENTS = queryShape('accountAgents', (q, [key]) =>
  q.selectFrom('cx_account_agents').select(['member_id', 'position']).where('account_key', '=', key).orderBy('position'),
);

const sizedShapes = new Map<string, QueryShape>();
/** A shape for a count of rows or values, kept for small counts. */
function sized(name: string, count: number, make: (count: number) => QueryShape): QueryShape {
  const key = `${name}:${count}`;
  let shape = sizedShapes.get(key);
  if (!shape) {
    shape = make(count);
    if (count <= 32) sizedShapes.set(key, shape);
  }
  return shape;
}

/** Arguments: (key, member, position) per agent. */
export const insertAgentsShape = (count: number) =>
  sized('insertAgents', count, () =>
    queryShape(`insertAgents:${count}`, (q, params) =>
      q.insertInto('cx_account_agents').values(
        Array.from({ length: count }, (_, index) => ({
          account_key: params[3 * index],
          member_id: params[3 * index + 1],
          position: params[3 * index + 2],
        })),
      ),
    ),
  );

/** Arguments: key, then the members. */
export const deleteAgentsShape = (count: number) =>
  sized('deleteAgents', count, () =>
    queryShape(`deleteAgents:${count}`, (q, [key, ...members]) =>
      q.deleteFrom('cx_account_agents').where('account_key', '=', key).where('member_id', 'in', members),
    ),
  );

export const DELETE_ALL_AGENTS = queryShape('deleteAllAgents', (q, [key]) => q.deleteFrom('cx_account_agents').where('account_key', '=', key));

export const DELETE_IMAGE = queryShape('deleteImage', (q, [key]) => q.deleteFrom('cx_account_images').where('account_key', '=', key));

export const INSERT_IMAGE_PART = queryShape('insertImagePart', (q, [key, part, data]) =>
  q.insertInto('cx_account_images').values({ account_key: key, part, data }),
);

export const IMAGE_PARTS = queryShape('imageParts', (q, [key]) =>
  q.selectFrom('cx_account_images').select('data').where('account_key', '=', key).orderBy('part'),
);

const LIST_COLUMNS = ['id', 'name', 'product_id', 'contact_url', 'activated_at', 'agent_count'] as const;

export const LIST_ACCOUNTS_FIRST = queryShape('listAccountsFirst', (q, [domain, count]) =>
  q.selectFrom('cx_accounts').select(LIST_COLUMNS).where('active_domain_id', '=', domain).orderBy('activated_at').orderBy('id').limit(count),
);

export const LIST_ACCOUNTS_AFTER = queryShape('listAccountsAfter', (q, [domain, at, id, count]) =>
  q
    .selectFrom('cx_accounts')
    .select(LIST_COLUMNS)
    .where('active_domain_id', '=', domain)
    // `a >= x and (a > x or b > y)`: the first term starts the index range on every database
    // (MariaDB does not range-scan row-value comparisons).
    .where('activated_at', '>=', at)
    .where((eb) => eb.or([eb('activated_at', '>', at), eb('id', '>', id)]))
    .orderBy('activated_at')
    .orderBy('id')
    .limit(count),
);

export const ACTIVE_ACCOUNT_IDS_OF_AGENT = queryShape('activeAccountIdsOfAgent', (q, [member, domain]) =>
  q
    .selectFrom('cx_account_agents as agent')
    .innerJoin('cx_accounts as account', 'account.key', 'agent.account_key')
    .select('account.id')
    .where('agent.member_id', '=', member)
    .where('account.active_domain_id', '=', domain)
    .orderBy('account.activated_at')
    .orderBy('account.id'),
);

export const FIND_CONTACT = queryShape('findContact', (q, [key, customer]) =>
  q.selectFrom('cx_contacts').selectAll().where('account_key', '=', key).where('customer_id', '=', customer),
);

export const LIST_ROOMS = queryShape('listRooms', (q, [key]) => q.selectFrom('cx_rooms').selectAll().where('account_key', '=', key).orderBy('seq'));

export const LIST_ROOM_AGENTS = queryShape('listRoomAgents', (q, [key]) =>
  q.selectFrom('cx_room_agents').select(['room_id', 'member_id']).where('account_key', '=', key).orderBy('room_id').orderBy('position'),
);

export const INSERT_ROOM = queryShape('insertRoom', (q, [key, roomId, kind, customer, createdAt]) =>
  q.insertInto('cx_rooms').values({ account_key: key, room_id: roomId, kind, customer_id: customer, created_at: createdAt }),
);

export const REMOVE_AGENT_FROM_ROOMS = queryShape('removeAgentFromRooms', (q, [key, member]) =>
  q.deleteFrom('cx_room_agents').where('account_key', '=', key).where('member_id', '=', member),
);

export const DELETE_ROOM_AGENTS = queryShape('deleteRoomAgents', (q, [key]) => q.deleteFrom('cx_room_agents').where('account_key', '=', key));

export const DELETE_ROOMS = queryShape('deleteRooms', (q, [key]) => q.deleteFrom('cx_rooms').where('account_key', '=', key));

export const FIND_BOT = queryShape('findBot', (q, [domain, bot]) =>
  q.selectFrom('cx_bots').selectAll().where('domain_id', '=', domain).where('bot_id', '=', bot),
);

export const DELETE_ADMIN_BOTS = queryShape('deleteAdminBots', (q, [key]) =>
  q.deleteFrom('cx_bots').where('account_key', '=', key).where('origin', '=', 'admin'),
);

export const DETACH_BOTS = queryShape('detachBots', (q, [key]) => q.updateTable('cx_bots').set({ account_key: null }).where('account_key', '=', key));

export const APPEND_HISTORY = queryShape('appendHistory', (q, [key, customer, customerName, sentAt, senderKind, senderName, content]) =>
  q.insertInto('cx_history').values({
    account_key: key,
    customer_id: customer,
    customer_name: customerName,
    sent_at: sentAt,
    sender_kind: senderKind,
    sender_name: senderName,
    content,
  }),
);

export const GET_BACKUP_JOB = queryShape('getBackupJob', (q, [domain, job]) =>
  q.selectFrom('cx_backup_jobs').selectAll().where('domain_id', '=', domain).where('job_id', '=', job),
);

export const DELETE_BACKUP_JOB = queryShape('deleteBackupJob', (q, [domain, job]) =>
  q.deleteFrom('cx_backup_jobs').where('domain_id', '=', domain).where('job_id', '=', job),
);

/** Creates the lock row of a domain if missing (PostgreSQL, MySQL). */
export const ENSURE_DOMAIN_ON_CONFLICT = queryShape('ensureDomain', (q, [domain]) =>
  q.insertInto('cx_domains').values({ domain_id: domain }).onConflict((conflict) => conflict.column('domain_id').doNothing()),
);
export const ENSURE_DOMAIN_ON_DUPLICATE = queryShape('ensureDomainMysql', (q, [domain]) =>
  q.insertInto('cx_domains').values({ domain_id: domain }).onDuplicateKeyUpdate({ domain_id: domain }),
);

/** Waits for, then holds until the transaction ends, the lock row of a domain. */
export const LOCK_DOMAIN = queryShape('lockDomain', (q, [domain]) =>
  q.selectFrom('cx_domains').select('domain_id').where('domain_id', '=', domain).forUpdate(),
);
