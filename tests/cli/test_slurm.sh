#!/bin/sh
# The Slurm recipe of docs/output.md on a real, one-node Slurm cluster that
# this test starts itself: slurmctld and slurmd (Debian's slurm-wlm, 22.05
# in bookworm) with their own slurm.conf, state, spool, logs and free ports
# in a temporary folder, listening on 127.0.0.1 only, auth/none (no munged).
# It submits contrib/slurm/evtag-array.sbatch as a job array of 3 shards
# over a GMB-derived article stream (tests/bench/gen_stream.py, as the
# benchmarks build it, cut into two files), then the merge step as the docs
# give it (sbatch --dependency=afterok:JOB --wrap contrib/evtag-merge.sh),
# and checks the merged output against one `evtag classify` run, byte for
# byte. Every wait has a timeout; the jobs and both daemons are always
# stopped (trap) and nothing is left behind.
#
# The Debian packages slurmctld, slurmd and slurm-client are installed when
# missing and the test runs as root. SKIPPED (0 failed), saying why, when
# that cannot be done or the daemons do not start (the command and its log
# line), and under SAN (the sanitized binary is checked by test_shard.sh;
# here it would only slow the jobs down). A job that starts and fails, times
# out or gives different output is a failure.
T_NAME=test_slurm
. tests/cli/lib.sh
MODELS="${EVTAG_MODELS:-$PWD/models}"
GMB="${SHARED}corpora/entities/gmb/train.conll"
SBATCH_SCRIPT="$PWD/contrib/slurm/evtag-array.sbatch"
MERGE="$PWD/contrib/evtag-merge.sh"
PATH="$PATH:/usr/sbin:/sbin"
C="$T_TMP/cluster"     # slurm.conf, state, spool, logs
W="$T_TMP/work"        # the jobs' working folder (out/, logs, events.json)
N=3                    # shards (array tasks)
CTLD=""; SLURMD=""

case $EVTAG in */*) case $EVTAG in /*) ;; *) EVTAG="$PWD/$EVTAG" ;; esac ;; esac

# alive PID: PID runs (a child of ours that exited but is not reaped yet
# is a zombie: not alive).
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	st=$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ "$st" != Z ]
}
# stop PID: SIGTERM, up to 15 s, then SIGKILL; reaps it.
stop() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	i=0
	while alive "$1" && [ $i -lt 75 ]; do sleep 0.2; i=$((i + 1)); done
	alive "$1" && { echo "$T_NAME: $2 did not stop on SIGTERM in 15 s: SIGKILL" >&2; kill -KILL "$1" 2>/dev/null; }
	wait "$1" 2>/dev/null
}
# stop_cluster: cancels our jobs (up to 15 s for them to end), stops both
# daemons. Safe to call twice.
stop_cluster() {
	if [ -n "$CTLD" ] && alive "$CTLD"; then
		scancel --quiet --user=root 2>/dev/null
		i=0
		while [ -n "$(squeue -h -o %i 2>/dev/null)" ] && [ $i -lt 75 ]; do sleep 0.2; i=$((i + 1)); done
	fi
	stop "$SLURMD" slurmd; SLURMD=""
	stop "$CTLD" slurmctld; CTLD=""
}
trap 'stop_cluster; rm -rf "$T_TMP"' EXIT
trap 'exit 1' INT TERM HUP
skip() { echo "$T_NAME: SKIPPED: $*" >&2; t_done; exit $?; }
# why LOG: the line of a daemon's log that says why it stopped (its last
# fatal or error line, else its last line).
why() {
	l=$(grep -E 'fatal' "$1" 2>/dev/null | tail -n 1)
	[ -n "$l" ] || l=$(grep -E 'error' "$1" 2>/dev/null | grep -v -E 'pmix|PMIx|MPI:' | tail -n 1)
	[ -n "$l" ] || l=$(tail -n 1 "$1" 2>/dev/null)
	echo "${l:-(empty log)}"
}

[ -z "${SAN:-}" ] || skip "under SAN=$SAN: the jobs would run the same sanitized binary test_shard.sh checks, only slower"
for m in entities roles plover penta; do
	[ -f "$MODELS/$m.evm" ] || skip "no shipped model $MODELS/$m.evm"
done
[ -f "$GMB" ] || skip "no GMB corpus at $GMB"
command -v python3 >/dev/null 2>&1 || skip "python3 (for tests/bench/gen_stream.py) is not installed"
[ "$(id -u)" = 0 ] || skip "not root (uid $(id -u)): slurmd must start as root to run jobs"

have_slurm() {
	for c in slurmctld slurmd sbatch squeue scontrol scancel; do
		command -v $c >/dev/null 2>&1 || return 1
	done
}
if ! have_slurm; then
	command -v apt-get >/dev/null 2>&1 || skip "slurmctld/slurmd/sbatch missing and no apt-get to install them"
	echo "$T_NAME: installing the Debian packages slurmctld slurmd slurm-client"
	inst() {
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=120 slurmctld slurmd slurm-client >"$T_TMP/apt.log" 2>&1
	}
	inst || { apt-get update -qq >/dev/null 2>&1 && inst; } ||
		skip "apt-get install -y slurmctld slurmd slurm-client failed: $(grep -E '^E:' "$T_TMP/apt.log" | tail -n 1)"
	have_slurm || skip "slurmctld, slurmd or sbatch still missing after apt-get install"
fi

# two free TCP ports on the loopback address
ports=$(python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])') || skip "python3 could not find two free ports on 127.0.0.1"
CTLD_PORT=${ports% *}; SLURMD_PORT=${ports#* }
mkdir -p "$C/state" "$C/spool" "$W"
cat >"$C/slurm.conf" <<EOF
# a one-node test cluster of tests/cli/test_slurm.sh
ClusterName=evtagtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/slurmctld.log
SlurmdLogFile=$C/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
DependencyParameters=kill_invalid_depend
ReturnToService=2
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=evtag Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
SLURM_CONF="$C/slurm.conf"
# nothing of an outer Slurm job or of the user's defaults may leak in
for v in $(env | sed -n 's/^\(SLURM_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(SBATCH_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done
export SLURM_CONF

slurmctld -D -f "$SLURM_CONF" >"$C/slurmctld.out" 2>&1 &
CTLD=$!
slurmd -D -N localhost -f "$SLURM_CONF" >"$C/slurmd.out" 2>&1 &
SLURMD=$!
# up to 30 s for the node to register as idle
i=0
while :; do
	alive "$CTLD" || skip "slurmctld -D -f $SLURM_CONF exited: $(why "$C/slurmctld.out")"
	alive "$SLURMD" || skip "slurmd -D -N localhost -f $SLURM_CONF exited: $(why "$C/slurmd.out")"
	scontrol -o show node localhost 2>/dev/null | grep -q 'State=IDLE' && break
	[ $i -lt 150 ] || skip "the node did not come up in 30 s; slurmctld: $(why "$C/slurmctld.log"); slurmd: $(why "$C/slurmd.log")"
	sleep 0.2; i=$((i + 1))
done

# the stream: GMB sentences drawn at random, 5-60 an article (26
# articles), cut into two files (articles are numbered across files)
python3 tests/bench/gen_stream.py "$GMB" 0.1 7 >"$T_TMP/stream.jsonl" 2>"$T_TMP/err" ||
	t_bad "gen_stream.py failed: $(cat "$T_TMP/err")"
head -n 10 "$T_TMP/stream.jsonl" >"$W/a.jsonl"
tail -n +11 "$T_TMP/stream.jsonl" >"$W/b.jsonl"
export EVTAG EVTAG_MODELS="$MODELS"
expect_status 0 "$EVTAG" classify -q --jsonl "$W/a.jsonl" "$W/b.jsonl"
cp "$T_TMP/out" "$T_TMP/one.json"
expect_true "one run codes every article" \
	test "$(sed 's/^{"doc":"\([^"]*\)".*/\1/' "$T_TMP/one.json" | sort -u | wc -l)" = "$(wc -l <"$T_TMP/stream.jsonl")"

# docs/output.md's two commands, as they are, in the jobs' folder; the
# script's #SBATCH defaults (4 CPUs, 2G) are overridden for this 2-CPU node
jid=$(sbatch --parsable --chdir="$W" --array=1-$N --cpus-per-task=1 --mem=100M \
	"$SBATCH_SCRIPT" -q --jsonl a.jsonl b.jsonl 2>"$T_TMP/err")
case $jid in
[0-9]*) t_ok ;;
*) t_bad "sbatch --array=1-$N $SBATCH_SCRIPT failed: $(cat "$T_TMP/err")"; t_done; exit ;;
esac
mjid=$(sbatch --parsable --chdir="$W" --dependency="afterok:$jid" --mem=100M \
	--wrap "'$MERGE' out/shard-*.json >events.json" 2>"$T_TMP/err")
case $mjid in
[0-9]*) t_ok ;;
*) t_bad "sbatch --dependency=afterok:$jid --wrap failed: $(cat "$T_TMP/err")"; t_done; exit ;;
esac
# up to 120 s for the array and the merge to leave the queue
i=0
while [ -n "$(squeue -h -o %i 2>/dev/null)" ]; do
	alive "$CTLD" || { t_bad "slurmctld died: $(why "$C/slurmctld.log")"; break; }
	alive "$SLURMD" || { t_bad "slurmd died: $(why "$C/slurmd.log")"; break; }
	if [ $i -ge 600 ]; then
		t_bad "the jobs were not done in 120 s: $(squeue -h -o '%i %T %r' | tr '\n' ';')"
		break
	fi
	sleep 0.2; i=$((i + 1))
done
states=$(scontrol -o show job "$jid" 2>/dev/null | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\).*/\1:\2/p' | sort -n | tr '\n' ' ')
want=$(seq 1 $N | sed 's/$/:COMPLETED/' | tr '\n' ' ')
if [ "$states" = "$want" ]; then t_ok; else
	t_bad "array tasks: '$states', expected '$want'; logs: $(cat "$W"/evtag-*.log 2>/dev/null | head -c 600)"
fi
mstate=$(scontrol -o show job "$mjid" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
if [ "$mstate" = COMPLETED ]; then t_ok; else
	t_bad "merge job: '$mstate', expected COMPLETED; log: $(head -c 600 "$W/slurm-$mjid.out" 2>/dev/null)"
fi
k=1
while [ $k -le $N ]; do
	expect_true "out/shard-$k.json written" test -s "$W/out/shard-$k.json"
	k=$((k + 1))
done
expect_true "no out/*.part left" test -z "$(ls "$W"/out/*.part 2>/dev/null)"
expect_true "Slurm array + merge = one run, byte for byte" cmp "$W/events.json" "$T_TMP/one.json"

# nothing left running: no process of ours names the temporary folder
stop_cluster
left=""
for p in /proc/[0-9]*; do
	[ "${p#/proc/}" = $$ ] && continue
	{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF "$T_TMP" && left="$left ${p#/proc/}"
done
expect_true "no process left behind (pids:$left)" test -z "$left"
t_done
