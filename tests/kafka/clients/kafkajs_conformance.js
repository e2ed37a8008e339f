// kafkajs 2.2.4 against strata-broker's Kafka port: admin create/describe/offsets/
// delete, producer with and without idempotence, gzip, with and without
// application timestamps. Exits non-zero naming the first failed check.
const assert = require('assert');
const { Kafka, CompressionTypes, logLevel, ConfigResourceTypes } = require('kafkajs');

(async () => {
  const kafka = new Kafka({ clientId: 'js', brokers: [process.argv[2]], logLevel: logLevel.ERROR,
                            retry: { retries: 2 } });
  const admin = kafka.admin();
  await admin.connect();
  assert.strictEqual(await admin.createTopics({ topics: [{ topic: 'js1', numPartitions: 2,
    configEntries: [{ name: 'retention.ms', value: '1000' }] }] }), true, 'createTopics');
  let base = 0;
  for (const idempotent of [false, true]) {
    const producer = kafka.producer({ idempotent, allowAutoTopicCreation: false, retry: { retries: idempotent ? 5 : 2 } });
    await producer.connect();
    const sent = await producer.send({ topic: 'js1', acks: -1, compression: CompressionTypes.GZIP, messages: [
      { partition: 0, key: 'a', value: 'x', timestamp: '1700000000000', headers: { h: 'v' } },
      { partition: 0, key: 'b', value: 'y' }] });
    assert.strictEqual(sent[0].errorCode, 0, 'gzip send');
    assert.strictEqual(sent[0].baseOffset, String(base), 'gzip base offset');
    const plain = await producer.send({ topic: 'js1', messages: [{ partition: 1, value: 'plain' }] });
    assert.strictEqual(plain[0].errorCode, 0, 'plain send');
    await producer.disconnect();
    base += 2;
  }
  const offsets = await admin.fetchTopicOffsets('js1');
  assert.deepStrictEqual(offsets.map((o) => [o.partition, o.low, o.high]), [[0, '0', '4'], [1, '0', '2']],
                         'fetchTopicOffsets');
  const described = await admin.describeConfigs({ includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: 'js1', configNames: ['retention.ms'] }] });
  const entries = described.resources[0].configEntries;
  assert.strictEqual(entries.length, 1, 'one config described');
  assert.strictEqual(entries[0].configValue, '1000', 'retention.ms described');
  // Kept for the harness to read back with kcat: an application timestamp and a producer's.
  assert.strictEqual(await admin.createTopics({ topics: [{ topic: 'js2', numPartitions: 1 }] }), true, 'js2');
  const stamper = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await stamper.connect();
  await stamper.send({ topic: 'js2', acks: -1, compression: CompressionTypes.GZIP, messages: [
    { key: 't', value: 'stamped', timestamp: '1700000000000' }, { key: 'n', value: 'now' }] });
  await stamper.disconnect();
  await admin.deleteTopics({ topics: ['js1'] });
  assert.ok(!(await admin.listTopics()).includes('js1'), 'js1 deleted');
  await admin.disconnect();
  console.log('kafkajs: all checks passed');
})().catch((e) => { console.error('kafkajs FAILED:', e.message); process.exit(1); });
