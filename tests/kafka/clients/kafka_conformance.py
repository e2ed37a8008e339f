#!/usr/bin/python3
"""Real Kafka clients, unmodified, against strata-broker's Kafka port: each
client family's requests must decode and the broker's answers must satisfy
its own strict checks (librdkafka with check.crcs=true everywhere).

  kafka_conformance.py BROKER_BIN {kcat|confluent|kafkajs}
  kafka_conformance.py BROKER_BIN {interop|placement} STRATA_CLI

Starts the broker on free loopback ports with a temporary data directory,
runs the client's checks, stops the broker by its PID. Exit 0 when every
check holds; otherwise prints the failed check and the broker's log tail.
"""
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
CRC = ['-X', 'check.crcs=true']


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def kcat(bootstrap, *args, stdin=None):
    try:
        r = subprocess.run(['kcat', '-b', bootstrap, *args], input=stdin, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired as e:
        raise AssertionError('kcat %s timed out: %s' % (' '.join(args), e.stderr))
    check(r.returncode == 0, 'kcat %s failed: %s' % (' '.join(args), r.stderr))
    return r.stdout


def run_kcat(bootstrap):
    out = kcat(bootstrap, '-L')
    check('broker 0 at %s' % bootstrap in out, 'kcat -L names the broker: ' + out)
    kcat(bootstrap, '-P', '-t', 'k1', '-K:', '-H', 'h1=x', '-H', 'h2=y', '-X', 'enable.idempotence=true',
         stdin='k1:v1\nk2:v2\nk3:v3\n')
    out = kcat(bootstrap, '-C', '-t', 'k1', '-o', 'beginning', '-e', *CRC, '-f', '%o %k %s %h\n')
    check(out == '0 k1 v1 h1=x,h2=y\n1 k2 v2 h1=x,h2=y\n2 k3 v3 h1=x,h2=y\n', 'keys, values, headers back: ' + out)
    for codec in ('lz4', 'zstd', 'snappy', 'gzip'):
        kcat(bootstrap, '-P', '-t', 'kz', '-z', codec, stdin='%s-a\n%s-b\n' % (codec, codec))
    out = kcat(bootstrap, '-C', '-t', 'kz', '-o', 'beginning', '-e', *CRC, '-f', '%s\n')
    check(out.split() == ['lz4-a', 'lz4-b', 'zstd-a', 'zstd-b', 'snappy-a', 'snappy-b', 'gzip-a', 'gzip-b'],
          'compressed batches back: ' + out)
    out = kcat(bootstrap, '-C', '-t', 'kz', '-o', '-2', '-e', *CRC, '-f', '%o %s\n')
    check(out == '6 gzip-a\n7 gzip-b\n', 'kcat -o -2: ' + out)
    out = kcat(bootstrap, '-C', '-t', 'kz', '-o', 'end', '-e', *CRC, '-f', '%s\n')
    check(out == '', 'kcat -o end -e reads nothing: ' + out)


def run_confluent(bootstrap):
    from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic
    admin = AdminClient({'bootstrap.servers': bootstrap})
    admin.create_topics([NewTopic('py1', 3, 1, config={'retention.ms': '60000'})])['py1'].result(15)
    try:
        admin.create_topics([NewTopic('bad', 1, 1, config={'cleanup.policy': 'compact'})])['bad'].result(15)
        check(False, 'cleanup.policy=compact refused')
    except KafkaException as e:
        check(e.args[0].name() == 'INVALID_CONFIG', 'compact refused with INVALID_CONFIG: %s' % e)
    res = ConfigResource('topic', 'py1')
    cfg = list(admin.describe_configs([res]).values())[0].result(15)
    check(cfg['retention.ms'].value == '60000' and not cfg['retention.ms'].is_default, 'described retention.ms')
    check(cfg['cleanup.policy'].value == 'delete', 'cleanup.policy is delete')
    list(admin.alter_configs([ConfigResource('topic', 'py1', set_config={'retention.bytes': '1048576'})])
         .values())[0].result(15)
    cfg = list(admin.describe_configs([res]).values())[0].result(15)
    check(cfg['retention.bytes'].value == '1048576', 'AlterConfigs set retention.bytes')
    check(cfg['retention.ms'].is_default, 'AlterConfigs returned the unnamed retention.ms to its default')

    producer = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True})
    acked = []
    for i in range(30):
        producer.produce('py1', key=str(i), value='v%d' % i, partition=i % 3, headers=[('h', b'1')],
                         on_delivery=lambda err, msg: acked.append(err))
    producer.flush(20)
    check(len(acked) == 30 and all(e is None for e in acked), 'all 30 delivered: %s' % acked[:3])

    # confluent-kafka 1.7 wants a group.id even with assign(); FindCoordinator
    # answers COORDINATOR_NOT_AVAILABLE, which must not stop consumption.
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'g', 'check.crcs': True,
                         'enable.auto.commit': False, 'enable.partition.eof': True})
    consumer.assign([TopicPartition('py1', p, 0) for p in range(3)])
    values, eof, deadline = [], 0, time.time() + 20
    while eof < 3 and time.time() < deadline:
        m = consumer.poll(1)
        if m is None:
            continue
        if m.error():
            check(m.error().code() == -191, 'consume error %s' % m.error())  # _PARTITION_EOF
            eof += 1
            continue
        values.append(m.value().decode())
    check(sorted(values) == sorted('v%d' % i for i in range(30)), 'consumed all 30: %s' % values)
    check(consumer.get_watermark_offsets(TopicPartition('py1', 0), timeout=10) == (0, 10), 'watermarks')
    consumer.close()
    admin.delete_topics(['py1'])['py1'].result(15)
    check('py1' not in admin.list_topics(timeout=10).topics, 'py1 deleted')


def run_kafkajs(bootstrap):
    node_path = subprocess.run([os.path.join(ROOT, 'scripts', 'install-kafka-clients.sh'), '--print-node-path'],
                               capture_output=True, text=True, check=True).stdout.strip()
    env = dict(os.environ, NODE_PATH=node_path, KAFKAJS_NO_PARTITIONER_WARNING='1')
    r = subprocess.run(['node', os.path.join(HERE, 'kafkajs_conformance.js'), bootstrap], env=env,
                       capture_output=True, text=True, timeout=60)
    sys.stdout.write(r.stdout)
    check(r.returncode == 0, 'kafkajs checks: ' + r.stderr)
    # What kafkajs wrote, read by librdkafka with CRC checks: the application's
    # timestamp kept, the other one the producer's clock.
    out = kcat(bootstrap, '-C', '-t', 'js2', '-o', 'beginning', '-e', *CRC, '-f', '%k %s %T\\n')
    lines = out.splitlines()
    check(len(lines) == 2 and lines[0] == 't stamped 1700000000000', 'kafkajs timestamps read back: ' + out)
    stamp = int(lines[1].split()[2])
    check(lines[1].startswith('n now ') and abs(stamp - time.time() * 1000) < 120000, 'kafkajs create time: ' + out)


def start_broker(broker_bin, data_dir, log, extra=()):
    """strata-broker on free loopback ports, its stderr in `log`; returns
    (process, Kafka bootstrap, native address) once it logged both."""
    broker = subprocess.Popen([broker_bin, '--data-dir', data_dir, '--listen', '127.0.0.1:0',
                               '--kafka-listen', '127.0.0.1:0', '--metrics-listen', '127.0.0.1:0', '--shards', '2',
                               '--log-level', 'debug', *extra], stdout=subprocess.DEVNULL, stderr=log)
    kafka = native = None
    deadline = time.time() + 15
    while (kafka is None or native is None) and time.time() < deadline and broker.poll() is None:
        log.flush()
        with open(log.name) as f:
            for line in f:
                if 'metrics on http://' in line:
                    global METRICS
                    METRICS = line.split('metrics on ')[1].split()[0]
                elif 'Kafka clients on ' in line:
                    kafka = line.split('Kafka clients on ')[1].split()[0]
                elif 'listening on ' in line and '(ready in' in line:
                    native = line.split('listening on ')[1].split()[0]
        time.sleep(0.05)
    check(kafka is not None and native is not None, 'the broker started and logged its ports')
    return broker, kafka, native


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def strata(cli, native, *args, stdin=None):
    r = subprocess.run([cli, '-b', native, *args], input=stdin, capture_output=True, text=True, timeout=30)
    check(r.returncode == 0, 'strata %s failed: %s' % (' '.join(args), r.stderr))
    return r.stdout


FORMAT = '%p %o %k|%s|%h|%T\\n'
METRICS = None  # the broker's http://H:P/metrics


def metric(name, topic):
    """One per-topic series from the broker's /metrics, or 0."""
    body = urllib.request.urlopen(METRICS, timeout=10).read().decode()
    for line in body.splitlines():
        if line.startswith('%s{topic="%s"}' % (name, topic)):
            return float(line.split()[-1])
    return 0


def run_interop(bootstrap, cli, native):
    """What kcat writes `strata consume` reads, and the reverse, byte for byte:
    both readers print the same key, value, headers and timestamp."""
    lines = 'k1:v1 h\u00e9llo w\u00f6rld\nk2:second value\nk3:\u2713\n'
    strata(cli, native, 'topic', 'create', 'from-kcat', '--partitions', '1')
    kcat(bootstrap, '-P', '-t', 'from-kcat', '-K:', '-H', 'h1=x', '-H', 'trace=42', '-X', 'enable.idempotence=true',
         stdin=lines)
    strata(cli, native, 'topic', 'create', 'from-strata', '--partitions', '1')
    strata(cli, native, 'produce', 'from-strata', '--key-separator', ':', '-H', 'h1=x', '-H', 'trace=42',
           '--acks', 'durable', stdin=lines)
    for topic in ('from-kcat', 'from-strata'):
        by_kcat = kcat(bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', *CRC, '-f', FORMAT)
        by_strata = strata(cli, native, 'consume', topic, '-n', '3', '--format', FORMAT)
        check(by_kcat == by_strata, '%s: kcat and strata read the same bytes:\n%s---\n%s' % (topic, by_kcat, by_strata))
        got = [line.split(' ', 2)[2].rsplit('|', 1)[0] for line in by_kcat.splitlines()]
        check(got == ['k1|v1 h\u00e9llo w\u00f6rld|h1=x,trace=42', 'k2|second value|h1=x,trace=42',
                      'k3|\u2713|h1=x,trace=42'], '%s: keys, values and headers: %s' % (topic, got))
        # Both readers' records count as sent to consumers (3 each), Kafka's fetch path too.
        check(metric('strata_messages_out_total', topic) == 6, '%s: messages out on /metrics' % topic)
        stamps = [int(line.rsplit('|', 1)[1]) for line in by_kcat.splitlines()]
        check(all(abs(t - time.time() * 1000) < 120000 for t in stamps), '%s: create times: %s' % (topic, stamps))


def run_placement(bootstrap, cli, native):
    """A key's partition from each side (README, "Kafka clients"): librdkafka's
    default partitioner hashes with CRC32 (consistent_random), strata's client
    with XXH3, so the same key may land on different partitions."""
    strata(cli, native, 'topic', 'create', 'placed', '--partitions', '8')
    keys = ['user-%d' % i for i in range(16)]
    kcat(bootstrap, '-P', '-t', 'placed', '-K:', stdin=''.join('%s:kcat\n' % k for k in keys))
    strata(cli, native, 'produce', 'placed', '--key-separator', ':', stdin=''.join('%s:strata\n' % k for k in keys))
    out = kcat(bootstrap, '-C', '-t', 'placed', '-o', 'beginning', '-e', *CRC, '-f', '%p %k %s\\n')
    placed = {(k, s): int(p) for p, k, s in (line.split() for line in out.splitlines())}
    differ = 0
    for k in keys:
        strata_says = int(strata(cli, native, 'partition-for', 'placed', k).split()[-1])
        check(placed[(k, 'strata')] == strata_says, 'strata put %s on partition-for\'s %d' % (k, strata_says))
        check(placed[(k, 'kcat')] == zlib.crc32(k.encode()) % 8, 'librdkafka put %s on CRC32 %% 8' % k)
        differ += placed[(k, 'kcat')] != placed[(k, 'strata')]
    check(differ > 0, 'the two hashes place some of 16 keys differently (they are different hashes)')
    print('placement: %d of %d keys on different partitions' % (differ, len(keys)))


def main():
    broker_bin, client = sys.argv[1], sys.argv[2]
    # The broker logs each Kafka request (API, version) at debug level, and
    # why it closed a connection; KAFKA_BROKER_LOG=FILE keeps the log.
    keep = os.environ.get('KAFKA_BROKER_LOG')
    log = open(keep, 'w+') if keep else tempfile.NamedTemporaryFile('w+')
    broker = None
    with tempfile.TemporaryDirectory() as data:
        try:
            # kcat cannot create topics: it relies on auto-creation, Kafka's default.
            broker, bootstrap, native = start_broker(broker_bin, data, log, ['--auto-create-topics', 'true'])
            if client in ('interop', 'placement'):
                run = run_interop if client == 'interop' else run_placement
                run(bootstrap, sys.argv[3], native)
            else:
                {'kcat': run_kcat, 'confluent': run_confluent, 'kafkajs': run_kafkajs}[client](bootstrap)
            print('kafka conformance: %s passed' % client)
        except AssertionError as e:
            print('kafka conformance: %s FAILED: %s' % (client, e))
            log.flush()
            log.seek(0)
            print('broker log, last 40 lines:\n' + ''.join(log.readlines()[-40:]))
            return 1
        finally:
            if broker is not None:
                stop(broker)
    return 0


if __name__ == '__main__':
    sys.exit(main())
