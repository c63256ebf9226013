//go:build unix

package loadclient

import "syscall"

// FDLimit é o limite de descritores abertos deste processo (RLIMIT_NOFILE,
// já elevado pelo runtime do Go ao máximo permitido), ou -1 se desconhecido.
func FDLimit() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return -1
	}
	return int(min(rl.Cur, 1<<30))
}
