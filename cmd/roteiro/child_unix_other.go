//go:build unix && !linux

package main

import "syscall"

// setParentDeathSignal: só o Linux tem Pdeathsig; nos outros sistemas o
// registro de filhos e o grupo de processos bastam para a saída normal e o Ctrl-C.
func setParentDeathSignal(*syscall.SysProcAttr) {}

// waitExitNoReap: fora do Linux não há waitid com WNOWAIT portável; o filho
// é colhido direto pelo Wait, e depois disso nenhum sinal vai mais ao grupo
// (um neto que o servidor tenha deixado para trás não é morto: os
// servidores deste projeto não criam processos).
func waitExitNoReap(int) bool { return false }
