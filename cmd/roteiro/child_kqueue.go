//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"errors"

	"golang.org/x/sys/unix"
)

// waitExitNoReap espera o processo pid terminar sem colhê-lo: um kqueue com
// o filtro EVFILT_PROC e NOTE_EXIT avisa quando ele sai, e ele fica zumbi (o
// número pid, e o do seu grupo, continuam dele) até o Wait de verdade.
// Devolve false se não pôde esperar assim.
func waitExitNoReap(pid int) bool {
	// Um kqueue não passa para um processo filho (o fork não o herda), e o
	// close-on-exec é só por garantia.
	kq, err := unix.Kqueue()
	if err == nil {
		unix.CloseOnExec(kq)
	}
	if err != nil {
		return false
	}
	defer unix.Close(kq)

	// Primeiro só o registro. Ninguém mais colhe este filho: se o kernel
	// diz que o número não existe (ESRCH), ele já é um zumbi, ainda nosso.
	var watch unix.Kevent_t
	unix.SetKevent(&watch, pid, unix.EVFILT_PROC, unix.EV_ADD|unix.EV_ONESHOT)
	watch.Fflags = unix.NOTE_EXIT
	for {
		_, err = unix.Kevent(kq, []unix.Kevent_t{watch}, nil, nil)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	switch {
	case errors.Is(err, unix.ESRCH):
		return true
	case err != nil:
		return false
	case zombie(pid):
		return true // saiu antes do registro, que então não avisaria mais
	}
	// Depois a espera pelo aviso, de segundo em segundo: se o processo
	// estava no meio da saída durante o registro, o aviso pode não vir, e
	// zombie (no macOS) diz quando ele terminou.
	for {
		var got [1]unix.Kevent_t
		n, err := unix.Kevent(kq, nil, got[:], &unix.Timespec{Sec: 1})
		switch {
		case errors.Is(err, unix.EINTR):
		case err != nil:
			return false
		case n == 1:
			return true
		case zombie(pid):
			return true
		}
	}
}
