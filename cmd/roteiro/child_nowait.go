//go:build unix && !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package main

// waitExitNoReap: nos sistemas Unix que o roteiro não conhece (Solaris, AIX)
// não há como esperar o fim sem colher; o filho é colhido direto pelo Wait,
// e um sinal ainda pode sair entre a colheita e gone (TestGoneBeforeReap
// falharia aqui). Um neto que o servidor tenha deixado para trás também não
// é morto: os servidores deste projeto não criam processos.
func waitExitNoReap(int) bool { return false }
