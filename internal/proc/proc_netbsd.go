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
