import type { StoreTransaction } from '../ports/store.js';

/** What {@link handOverRooms} did. */
export type RoomHandover = {
  /** Rooms the leaving members were in. */
  leftRoomIds: string[];
  /** Of those, the rooms that had no other agent and went to the remaining agents (R36). */
  handedRoomIds: string[];
};

/**
 * Takes `leavingIds` out of every room of an account, and hands each room that would be left
 * with no agent to all of `remainingAgentIds` (R16, R36).
 */
export async function handOverRooms(
  tx: StoreTransaction,
  accountKey: string,
  leavingIds: readonly string[],
  remainingAgentIds: readonly string[],
): Promise<RoomHandover> {
  if (leavingIds.length === 0) return { leftRoomIds: [], handedRoomIds: [] };
  const leaving = new Set(leavingIds);
  const touched = (await tx.listRooms(accountKey)).filter((room) => room.agentIds.some((id) => leaving.has(id)));
  if (touched.length === 0) return { leftRoomIds: [], handedRoomIds: [] };
  for (const memberId of leavingIds) await tx.removeAgentFromRooms(accountKey, memberId);
  const orphans = touched.filter((room) => room.agentIds.every((id) => leaving.has(id)));
  for (const room of orphans) await tx.addRoomAgents(accountKey, room.roomId, remainingAgentIds);
  return { leftRoomIds: touched.map((room) => room.roomId), handedRoomIds: orphans.map((room) => room.roomId) };
}
