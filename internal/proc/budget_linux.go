package proc

import (
	"os"
	"path"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ThreadLimitName diz, para as mensagens, de onde vem o limite de ThreadBudget.
const ThreadLimitName = "ulimit -u, pids.max do cgroup"

// ThreadBudget diz quantas threads novas este processo ainda pode criar
// antes de o kernel recusar (-1: sem limite conhecido). Quando o clone(2) de
// uma thread falha, o runtime do Go aborta o processo inteiro ("failed to
// create new OS thread"), então o server (modelo thread) lê isto na partida
// e limita as suas threads abaixo disso. No Linux são dois limites:
//
//   - RLIMIT_NPROC (ulimit -u): tarefas (processos e threads) do mesmo
//     usuário, em todos os processos dele; o root não está sujeito a ele;
//   - pids.max do cgroup do processo e de cada ancestral (um contêiner, um
//     serviço do systemd): tarefas dentro do cgroup.
//
// Lê /proc inteiro (as threads do usuário): só na partida.
func ThreadBudget() int {
	budget := -1
	var lim unix.Rlimit
	if os.Getuid() != 0 && unix.Getrlimit(unix.RLIMIT_NPROC, &lim) == nil && lim.Cur != unix.RLIM_INFINITY {
		budget = int(lim.Cur) - userTasks(os.Getuid())
	}
	if b := pidsBudget(); b >= 0 && (budget < 0 || b < budget) {
		budget = b
	}
	if budget < -1 {
		budget = 0
	}
	return budget
}

// userTasks soma as threads de todos os processos do usuário uid, como o
// kernel conta para o RLIMIT_NPROC.
func userTasks(uid int) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/status")
		if err != nil {
			continue // o processo terminou no meio da leitura
		}
		// "Uid:\treal\tefetivo\t...": o RLIMIT_NPROC conta pelo real.
		if field(b, "Uid:") == int64(uid) {
			n += int(field(b, "Threads:"))
		}
	}
	return n
}

// pidsBudget é o menor (pids.max − pids.current) entre o cgroup do processo e
// os seus ancestrais (-1: nenhum limite). Serve ao cgroup v2 (linha "0::/x"
// de /proc/self/cgroup) e ao v1 (o controlador "pids").
func pidsBudget() int {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return -1
	}
	dir := ""
	for _, l := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(l, ":", 3)
		switch {
		case len(parts) != 3:
		case parts[0] == "0" && parts[1] == "":
			if dir == "" {
				dir = path.Join("/sys/fs/cgroup", parts[2])
			}
		case strings.Contains(","+parts[1]+",", ",pids,"):
			dir = path.Join("/sys/fs/cgroup/pids", parts[2])
		}
	}
	budget := -1
	for ; dir != "" && strings.HasPrefix(dir, "/sys/fs/cgroup"); dir = path.Dir(dir) {
		limit, err1 := os.ReadFile(path.Join(dir, "pids.max"))
		cur, err2 := os.ReadFile(path.Join(dir, "pids.current"))
		if err1 == nil && err2 == nil {
			m, errm := strconv.Atoi(strings.TrimSpace(string(limit)))
			c, errc := strconv.Atoi(strings.TrimSpace(string(cur)))
			if errm == nil && errc == nil && (budget < 0 || m-c < budget) { // "max" não é número: sem limite
				budget = max(m-c, 0)
			}
		}
		if dir == "/sys/fs/cgroup" || dir == "/sys/fs/cgroup/pids" {
			break
		}
	}
	return budget
}
