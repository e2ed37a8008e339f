#!/usr/bin/python3
"""kcat (librdkafka), unmodified, against a three-broker strata cluster
through ONE bootstrap address: its Metadata must name every broker by its
Kafka address and each partition's leader, so librdkafka sends each
partition's produce and fetch to the broker that leads it.

  kafka_cluster.py BIN_DIR STRATA_SOURCE_DIR

Starts etcd and three brokers with scripts/cluster-up.sh on free loopback
ports in a temporary directory, stops them with its `stop`. Exit 0 when
every check holds, 77 when etcd or kcat is not installed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kafka_conformance import CRC, check, kcat  # noqa: E402

PARTITIONS = 6


def main():
    bin_dir, source = sys.argv[1], sys.argv[2]
    if shutil.which('etcd') is None or shutil.which('kcat') is None:
        print('etcd or kcat not installed: skipped')
        return 77
    script = os.path.join(source, 'scripts', 'cluster-up.sh')
    # Every port the script uses is port + 0..99, below the ephemeral range
    # and apart per process (cluster_up_script_test takes 20000-29999).
    port = 10000 + (os.getpid() % 100) * 100
    env = dict(os.environ, STRATA_BIN=bin_dir, STRATA_CLUSTER_PORT=str(port), STRATA_ETCD_PORT=str(port + 50))
    with tempfile.TemporaryDirectory(prefix='strata-kafka-cluster-') as tmp:
        data = os.path.join(tmp, 'cluster')
        try:
            subprocess.run([script, data], env=env, check=True, timeout=90, capture_output=True, text=True)
            native = ['127.0.0.1:%d' % (port + i) for i in (1, 2, 3)]
            kafka = ['127.0.0.1:%d' % (port + 90 + i) for i in (1, 2, 3)]
            cli = os.path.join(bin_dir, 'strata')
            subprocess.run([cli, '-b', native[0], 'topic', 'create', 'spread', '--partitions', str(PARTITIONS)],
                           check=True, timeout=30, capture_output=True)
            # Metadata from broker 2's Kafka port names all three brokers
            # and a leader for every partition.
            listing = json.loads(kcat(kafka[1], '-L', '-t', 'spread', '-J'))
            brokers = sorted(b['name'] for b in listing['brokers'])
            check(brokers == sorted(kafka), 'kcat -L lists the three brokers by Kafka address: %s' % listing)
            leaders = [p['leader'] for p in listing['topics'][0]['partitions']]
            check(sorted(leaders) == [1, 1, 2, 2, 3, 3], 'each broker leads two partitions: %s' % leaders)
            # Produce to every partition through broker 1 only, read back through broker 3 only.
            for p in range(PARTITIONS):
                kcat(kafka[0], '-P', '-t', 'spread', '-p', str(p), '-X', 'enable.idempotence=true',
                     stdin='p%d-a\np%d-b\n' % (p, p))
            for p in range(PARTITIONS):
                out = kcat(kafka[2], '-C', '-t', 'spread', '-p', str(p), '-o', 'beginning', '-e', *CRC,
                           '-f', '%o %s\\n')
                check(out == '0 p%d-a\n1 p%d-b\n' % (p, p), 'partition %d read back from its leader: %r' % (p, out))
            print('kcat produced to and consumed from all %d partitions of three brokers via one bootstrap'
                  % PARTITIONS)
            return 0
        except (AssertionError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            print('FAILED: %s' % e)
            for name in ('broker1.log', 'broker2.log', 'broker3.log'):
                path = os.path.join(data, name)
                if os.path.exists(path):
                    with open(path) as f:
                        print('--- %s (tail)\n%s' % (name, ''.join(f.readlines()[-15:])))
            return 1
        finally:
            subprocess.run([script, data, 'stop'], env=env, timeout=30)


if __name__ == '__main__':
    sys.exit(main())
