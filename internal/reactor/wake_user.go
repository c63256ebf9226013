//go:build darwin || freebsd

package reactor

import "golang.org/x/sys/unix"

// No macOS e no FreeBSD o aviso é um evento de usuário do próprio kqueue
// (EVFILT_USER): nenhum descritor extra. EV_CLEAR zera o evento ao ser
// entregue, então vários avisos seguidos viram um só.
func (p *kqueuer) initWake() error {
	var k unix.Kevent_t
	unix.SetKevent(&k, 0, unix.EVFILT_USER, unix.EV_ADD|unix.EV_CLEAR)
	_, err := unix.Kevent(p.kq, []unix.Kevent_t{k}, nil, nil)
	return err
}

func (p *kqueuer) wake() error {
	var k unix.Kevent_t
	unix.SetKevent(&k, 0, unix.EVFILT_USER, 0)
	k.Fflags = unix.NOTE_TRIGGER
	_, err := unix.Kevent(p.kq, []unix.Kevent_t{k}, nil, nil)
	return err
}

func (p *kqueuer) isWake(k *unix.Kevent_t) bool { return int(k.Filter) == unix.EVFILT_USER }
