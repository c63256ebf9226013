//go:build darwin || freebsd || dragonfly

package reactor

import "golang.org/x/sys/unix"

// No macOS, no FreeBSD e no DragonFly o aviso é um evento de usuário do
// próprio kqueue (EVFILT_USER): nenhum descritor extra. Registrado com
// EV_ADD|EV_CLEAR, disparado com NOTE_TRIGGER; EV_CLEAR o zera ao ser
// entregue, então vários avisos seguidos viram um só. O ident 0 não colide
// com o descritor 0: o kqueue identifica um evento pelo par (ident, filtro).
func (p *kqueuer) initWake() error { return p.userEvent(unix.EV_ADD|unix.EV_CLEAR, 0) }
func (p *kqueuer) wake() error     { return p.userEvent(0, unix.NOTE_TRIGGER) }

func (p *kqueuer) userEvent(flags int, fflags uint32) error {
	var k [1]unix.Kevent_t
	unix.SetKevent(&k[0], 0, unix.EVFILT_USER, flags)
	k[0].Fflags = fflags
	_, err := unix.Kevent(p.kq, k[:], nil, nil)
	if err == unix.EINTR { // como em apply
		err = nil
	}
	return err
}

func (p *kqueuer) isWake(k *unix.Kevent_t) bool { return int(k.Filter) == unix.EVFILT_USER }
