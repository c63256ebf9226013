//go:build freebsd || netbsd || openbsd || dragonfly

package main

// zombie: nos BSD o registro no kqueue de um processo que já terminou (ou
// está terminando) falha com ESRCH ou avisa na hora (o FreeBSD e o
// DragonFly põem NOTE_EXIT já no registro): waitExitNoReap não precisa
// perguntar.
func zombie(int) bool { return false }
