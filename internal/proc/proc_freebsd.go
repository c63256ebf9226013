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
