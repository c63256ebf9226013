package main

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// setParentDeathSignal: no Linux o kernel mata o filho se o roteiro morrer
// sem ter tempo de limpar (kill -9). O roteiro não prende goroutines a
// threads, então a thread que criou o filho não termina antes do processo
// (Pdeathsig dispara quando a thread criadora termina).
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }

// waitExitNoReap espera o processo pid terminar sem colhê-lo (waitid com
// WNOWAIT): ele fica zumbi, e o número pid (e o do seu grupo) não pode ser
// dado a outro processo até o Wait de verdade. Devolve false se não pôde
// esperar assim.
func waitExitNoReap(pid int) bool {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			return err == nil
		}
	}
}
