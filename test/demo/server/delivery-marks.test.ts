import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeliveryMarks } from '../../../demo/server/realtime/delivery-marks.js';
import type { DeliveryMark } from '../../../demo/server/storage/storage.js';

test('delivery marks remember a bounded number of (conversation, user) pairs and still write every new mark', async () => {
  const written: DeliveryMark[] = [];
  const marks = new DeliveryMarks(
    async (m) => void written.push(...m),
    (err) => assert.fail(err),
    100,
  );
  for (let c = 0; c < 1000; c++) marks.note(String(c), '7', 1);
  await marks.flush();
  assert.ok(marks.tracked <= 100, `${marks.tracked} pairs remembered`);
  assert.equal(written.length, 1000, 'every mark was written');
  // A repeat of a remembered pair costs nothing; a higher seq is written.
  marks.note('999', '7', 1);
  marks.note('999', '7', 2);
  await marks.flush();
  assert.deepEqual(written.slice(1000), [{ conversationId: '999', userId: '7', seq: 2 }]);
});
