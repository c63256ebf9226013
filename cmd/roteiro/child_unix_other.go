//go:build unix && !linux

package main

import "syscall"

// setParentDeathSignal: só o Linux tem Pdeathsig; nos outros sistemas o
// registro de filhos e o grupo de processos bastam para a saída normal e o Ctrl-C.
func setParentDeathSignal(*syscall.SysProcAttr) {}
