//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package reactor

import "golang.org/x/sys/unix"

// kqueuer é o poller do macOS e dos BSD. No kqueue leitura e escrita são
// filtros separados (EVFILT_READ, EVFILT_WRITE): um mesmo descritor pode
// aparecer duas vezes num lote. O aviso de outra goroutine vem de
// EVFILT_USER (macOS, FreeBSD, DragonFly) ou de um pipe (wake_*.go).
type kqueuer struct {
	kq     int
	wakeRd int // ponta de leitura do pipe de aviso, ou -1 com EVFILT_USER
	wakeWr int
	raw    [256]unix.Kevent_t
	out    [256]event
	change [1]unix.Kevent_t
	ts     unix.Timespec
}

var _ poller = (*kqueuer)(nil)

func newPoller() (poller, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(kq)
	p := &kqueuer{kq: kq, wakeRd: -1, wakeWr: -1}
	if err := p.initWake(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// set manda ao kernel EV_ADD ou EV_DELETE para cada filtro (leitura,
// escrita) que mudou entre old e ev, uma chamada kevent(2) por mudança, e
// para no primeiro erro (quem chama encerra a conexão; o close(2) tira do
// kqueue o que tiver ficado). Por que não as duas numa chamada só: sem lista
// de eventos, o kevent aborta no primeiro erro e as mudanças seguintes nem
// são tentadas, sem dizer quais valeram; o "aplicou pela metade" faria o
// interesse guardado na Conn divergir do kernel.
//
// Também não é o idioma de lote do redis e do gnet, que acumulam as mudanças
// e as entregam na próxima espera, na mesma chamada kevent. Aqui ficou o
// simples: cada erro volta na hora para a conexão que o causou, em vez de
// chegar depois como EV_ERROR no meio dos eventos de outras; e uma conexão
// típica muda o interesse uma vez só (o ADD da leitura, no accept), então o
// lote pouparia pouco.
func (p *kqueuer) set(fd int, old, ev uint8) error {
	for _, f := range [2]struct {
		bit    uint8
		filter int
	}{{evRead, unix.EVFILT_READ}, {evWrite, unix.EVFILT_WRITE}} {
		if old&f.bit == ev&f.bit {
			continue
		}
		flags := unix.EV_ADD
		if ev&f.bit == 0 {
			flags = unix.EV_DELETE
		}
		unix.SetKevent(&p.change[0], fd, f.filter, flags)
		if err := p.apply(); err != nil {
			return err
		}
	}
	return nil
}

// apply aplica a mudança em p.change sem pedir eventos de volta: o erro
// dela, se houver, é o erro da chamada. EINTR não é erro: sem lista de
// eventos o kevent volta logo depois de aplicar a mudança (kevent(2)), então
// um EINTR viria depois dela (e repetir um EV_DELETE daria ENOENT).
func (p *kqueuer) apply() error {
	_, err := unix.Kevent(p.kq, p.change[:], nil, nil)
	if err == unix.EINTR {
		err = nil
	}
	return err
}

func (p *kqueuer) close() error {
	if p.wakeRd >= 0 {
		unix.Close(p.wakeRd)
		unix.Close(p.wakeWr)
	}
	return unix.Close(p.kq)
}

// wait dorme até haver eventos ou msec milissegundos; EINTR devolve zero
// eventos. EV_EOF (o outro lado fechou; pode ainda haver dados, e fflags
// traz o erro do socket) só quer dizer "vá ler/escrever": o read() que
// devolve 0, ou o erro do read/write, é quem diz que acabou. Uma entrada
// com EV_ERROR não é prontidão, é o resultado de uma mudança (aqui nunca há
// mudanças nesta chamada): é ignorada.
func (p *kqueuer) wait(msec int) ([]event, error) {
	var tsp *unix.Timespec
	if msec >= 0 {
		p.ts = unix.NsecToTimespec(int64(msec) * 1e6)
		tsp = &p.ts
	}
	n, err := unix.Kevent(p.kq, nil, p.raw[:], tsp)
	if err == unix.EINTR {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := p.out[:0]
	for i := range p.raw[:n] {
		k := &p.raw[i]
		switch {
		case k.Flags&unix.EV_ERROR != 0:
		case p.isWake(k):
			out = append(out, event{fd: wakeFD})
		case int(k.Filter) == unix.EVFILT_WRITE:
			out = append(out, event{fd: int(k.Ident), w: true})
		case int(k.Filter) == unix.EVFILT_READ:
			out = append(out, event{fd: int(k.Ident), r: true})
		}
	}
	return out, nil
}

// send: nos BSD e no macOS, um write comum. O runtime do Go ignora SIGPIPE
// fora dos descritores 1 e 2, então o write num socket sem leitor devolve
// EPIPE como erro comum, sem matar o processo.
func send(fd int, p []byte) (int, error) { return unix.Write(fd, p) }

// forget: nada; o close(2) já tira o descritor do kqueue.
func (p *kqueuer) forget(int) {}
