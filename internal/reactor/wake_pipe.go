//go:build netbsd || openbsd

package reactor

import "golang.org/x/sys/unix"

// No NetBSD e no OpenBSD o aviso é um pipe: escrever um byte torna a ponta
// de leitura legível. Quem o recebe esvazia o pipe inteiro, então vários
// avisos seguidos viram um só (e um pipe cheio já é aviso bastante).
func (p *kqueuer) initWake() error {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		return err
	}
	p.wakeRd, p.wakeWr = fds[0], fds[1]
	return p.set(p.wakeRd, 0, evRead)
}

func (p *kqueuer) wake() error {
	_, err := unix.Write(p.wakeWr, []byte{1})
	if err == unix.EAGAIN {
		err = nil
	}
	return err
}

func (p *kqueuer) isWake(k *unix.Kevent_t) bool {
	if int(k.Ident) != p.wakeRd {
		return false
	}
	var b [64]byte
	for {
		if n, _ := unix.Read(p.wakeRd, b[:]); n <= 0 {
			return true
		}
	}
}
