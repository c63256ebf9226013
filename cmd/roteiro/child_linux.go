package main

import "syscall"

// setParentDeathSignal: no Linux o kernel mata o filho se o roteiro morrer
// sem ter tempo de limpar (kill -9). O roteiro não prende goroutines a
// threads, então a thread que criou o filho não termina antes do processo
// (Pdeathsig dispara quando a thread criadora termina).
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
