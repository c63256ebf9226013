//go:build freebsd

package proc

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// kinfo lê a kinfo_proc do processo pid: `sysctl kern.proc.pid.PID`, uma
// chamada de sistema só (o que o ps e o top do FreeBSD usam). Threads,
// memória residente, CPU e trocas de contexto do processo inteiro.
func kinfo(pid int) (Figures, error) {
	b, err := unix.SysctlRaw("kern.proc.pid", pid)
	if err != nil {
		return unknown(), fmt.Errorf("sysctl kern.proc.pid.%d: %w", pid, err)
	}
	return decodeFreeBSD(b, int64(os.Getpagesize()))
}

// Self no FreeBSD: threads e memória atual pela kinfo_proc (custo
// constante: uma chamada de sistema); CPU, pico e trocas de contexto por
// getrusage, como nos outros sistemas.
func Self() Figures {
	f := selfRusage()
	if k, err := kinfo(os.Getpid()); err == nil {
		f.Threads, f.RSS = k.Threads, k.RSS
	}
	return f
}

// Threads conta as threads do SO do próprio processo (ki_numthreads), ou -1.
func Threads() int {
	k, err := kinfo(os.Getpid())
	if err != nil {
		return -1
	}
	return k.Threads
}

// Of mede outro processo pela kinfo_proc dele.
func Of(pid int) (Figures, error) { return kinfo(pid) }
