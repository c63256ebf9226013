//go:build netbsd

package proc

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

const kernProcPID = 1 // KERN_PROC_PID: selecionar por PID (sys/sysctl.h)

// kinfo lê a kinfo_proc2 do processo pid: sysctl kern.proc2 com
// KERN_PROC_PID, o tamanho da struct que queremos e quantas (uma).
func kinfo(pid int) (Figures, error) {
	b, err := unix.SysctlRaw("kern.proc2", kernProcPID, pid, netbsdKinfoSize, 1)
	if err != nil {
		return unknown(), fmt.Errorf("sysctl kern.proc2 do processo %d: %w", pid, err)
	}
	f, err := decodeNetBSD(b, int64(os.Getpagesize()))
	if err != nil {
		return f, fmt.Errorf("processo %d: %w", pid, err)
	}
	return f, nil
}

// Self no NetBSD: threads e memória atual pela kinfo_proc2 (uma chamada de
// sistema); CPU, pico e trocas de contexto por getrusage.
func Self() Figures {
	f := selfRusage()
	if k, err := kinfo(os.Getpid()); err == nil {
		f.Threads, f.RSS = k.Threads, k.RSS
	}
	return f
}

// Threads conta as threads (LWPs) do próprio processo (p_nlwps), ou -1.
func Threads() int {
	k, err := kinfo(os.Getpid())
	if err != nil {
		return -1
	}
	return k.Threads
}

// Of mede outro processo pela kinfo_proc2 dele.
func Of(pid int) (Figures, error) { return kinfo(pid) }
