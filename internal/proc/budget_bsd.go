//go:build darwin || freebsd

package proc

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// ThreadLimitName diz, para as mensagens, de onde vem o limite de ThreadBudget.
var ThreadLimitName = map[string]string{
	"darwin":  "kern.num_taskthreads",
	"freebsd": "kern.threads.max_threads_per_proc",
}[runtime.GOOS]

// ThreadBudget diz quantas threads novas este processo ainda pode criar
// (-1: sem limite conhecido; veja budget_linux.go). No macOS e no FreeBSD o
// limite é por processo: kern.num_taskthreads (macOS) e
// kern.threads.max_threads_per_proc (FreeBSD, 1.500 por padrão).
func ThreadBudget() int {
	name := "kern.threads.max_threads_per_proc"
	if runtime.GOOS == "darwin" {
		name = "kern.num_taskthreads"
	}
	limit, err := unix.SysctlUint32(name)
	if err != nil || limit == 0 {
		return -1
	}
	return max(int(limit)-GoThreads(), 0)
}
