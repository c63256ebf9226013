package main

import "golang.org/x/sys/unix"

// zombie diz se o processo pid já terminou e espera ser colhido. No macOS
// um processo que termina entre a criação do filho e o registro no kqueue
// não avisa mais (o registro só vê o que vem depois), então
// waitExitNoReap pergunta: p_stat da kinfo_proc é SZOMB (5, sys/proc.h).
// Uma chamada de sistema (sysctl kern.proc.pid), uma vez por segundo.
func zombie(pid int) bool {
	const szomb = 5
	k, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	return err == nil && k.Proc.P_stat == szomb
}
