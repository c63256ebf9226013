//go:build linux

package proc

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// clockTicks é o USER_HZ do Linux: /proc/PID/stat conta CPU nessa unidade.
// É 100 em todas as arquiteturas que o Linux suporta hoje (o valor que
// sysconf(_SC_CLK_TCK) devolve), e o Go puro não tem sysconf.
const clockTicks = 100

// Self mede o próprio processo: /proc/self/status (threads, memória), que
// custa o mesmo com 1 ou com 10.000 threads, e getrusage (CPU e trocas de
// contexto de todas as threads, inclusive as que já terminaram). O getrusage
// soma as threads dentro do kernel: ~1 µs com 6 threads, ~150 µs com 1.000.
// É muito menos que ler /proc/self/task/* (~50 µs por thread), mas não é
// constante: quem mede a cada conexão deve ler só Threads() e deixar Self
// para uma amostragem fora do caminho do accept (veja internal/blocking).
func Self() Figures {
	f := unknown()
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		f.Threads = int(field(st, "Threads:"))
		f.RSS = kib(field(st, "VmRSS:"))
		f.PeakRSS = kib(field(st, "VmHWM:"))
	}
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) == nil {
		f.User = time.Duration(ru.Utime.Nano())
		f.System = time.Duration(ru.Stime.Nano())
		f.Voluntary, f.Involuntary = int64(ru.Nvcsw), int64(ru.Nivcsw)
	}
	return f
}

// kib converte um valor em kB de /proc para bytes, mantendo -1 (n/d).
func kib(n int64) int64 {
	if n < 0 {
		return -1
	}
	return n * 1024
}

// Threads conta as threads do SO do próprio processo (linha Threads: de
// /proc/self/status), ou -1.
func Threads() int {
	st, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	return int(field(st, "Threads:"))
}

// Of mede outro processo pelo /proc. As trocas de contexto são a soma de
// /proc/PID/task/*/status: a linha do processo em /proc/PID/status conta só
// a thread principal. Threads que já terminaram não aparecem mais em task/,
// então, para um processo que cria e destrói threads, este número é um piso;
// o próprio processo sabe o total (Self usa getrusage).
func Of(pid int) (Figures, error) {
	f := unknown()
	dir := fmt.Sprintf("/proc/%d", pid)
	st, err := os.ReadFile(dir + "/status")
	if err != nil {
		return f, err
	}
	f.Threads = int(field(st, "Threads:"))
	f.RSS = kib(field(st, "VmRSS:"))
	f.PeakRSS = kib(field(st, "VmHWM:"))

	// /proc/PID/stat: campos 14 e 15 são utime e stime do grupo de threads
	// inteiro (o kernel acumula as threads mortas), em ticks de USER_HZ.
	// O campo 2 (comm) vem entre parênteses e pode conter espaços.
	if stat, err := os.ReadFile(dir + "/stat"); err == nil {
		if i := bytes.LastIndexByte(stat, ')'); i >= 0 {
			fs := bytes.Fields(stat[i+1:]) // fs[0] é o campo 3 (state)
			if len(fs) > 12 {
				ut, _ := strconv.ParseInt(string(fs[11]), 10, 64)
				stt, _ := strconv.ParseInt(string(fs[12]), 10, 64)
				f.User = time.Duration(ut) * time.Second / clockTicks
				f.System = time.Duration(stt) * time.Second / clockTicks
			}
		}
	}

	tasks, err := os.ReadDir(dir + "/task")
	if err == nil {
		f.Voluntary, f.Involuntary = 0, 0
		for _, t := range tasks {
			ts, err := os.ReadFile(dir + "/task/" + t.Name() + "/status")
			if err != nil {
				continue // a thread terminou entre ReadDir e ReadFile
			}
			f.Voluntary += max(0, field(ts, "voluntary_ctxt_switches:"))
			f.Involuntary += max(0, field(ts, "nonvoluntary_ctxt_switches:"))
		}
	}
	return f, nil
}

// WaitChannels lê onde cada thread do processo pid dorme agora:
// /proc/PID/task/TID/wchan de cada thread (o mesmo que
// `cat /proc/PID/task/*/wchan` ou `ps -L -o tid,wchan:20 -p PID`). Custa uma
// leitura por thread: é para quem observa de fora, em intervalos, nunca para
// o caminho de uma conexão.
func WaitChannels(pid int) (Waits, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	w := Waits{}
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/wchan")
		if err != nil {
			continue // a thread terminou entre ReadDir e ReadFile
		}
		name := string(bytes.TrimSpace(b))
		if name == "" {
			name = "0"
		}
		w[name]++
	}
	if len(w) == 0 {
		return nil, fmt.Errorf("nenhuma thread legível em %s", dir)
	}
	return w, nil
}

// field devolve o número depois de name numa linha de /proc/*/status, ou -1.
func field(status []byte, name string) int64 {
	i := bytes.Index(status, []byte("\n"+name))
	if i < 0 {
		if !bytes.HasPrefix(status, []byte(name)) {
			return -1
		}
		i = -1
	}
	rest := status[i+1+len(name):]
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	fs := bytes.Fields(rest)
	if len(fs) == 0 {
		return -1
	}
	n, err := strconv.ParseInt(string(fs[0]), 10, 64)
	if err != nil {
		return -1
	}
	return n
}
