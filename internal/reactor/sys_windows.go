package reactor

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"

	"roteiro2/internal/socket"
)

// Os pedidos ao Winsock que o laço e as conexões fazem fora do poller (os do
// Unix estão em sys_unix.go). O x/sys/windows não embrulha recv, send,
// accept, ioctlsocket nem WSAPoll: vêm direto da ws2_32.dll.
var (
	ws2         = windows.NewLazySystemDLL("ws2_32.dll")
	procAccept  = ws2.NewProc("accept")
	procRecv    = ws2.NewProc("recv")
	procSend    = ws2.NewProc("send")
	procIoctl   = ws2.NewProc("ioctlsocket")
	procWSAPoll = ws2.NewProc("WSAPoll")
)

const fionbio = 0x8004667e // FIONBIO: liga o modo não bloqueante

var errAgain, errIntr error = windows.WSAEWOULDBLOCK, windows.WSAEINTR

func tryAgain(err error) bool { return err == windows.WSAEWOULDBLOCK || err == windows.WSAEINTR }

// readFd é recv: n > 0 bytes, 0 no fim de arquivo, ou o erro do Winsock.
func readFd(fd int, p []byte) (int, error) {
	r, _, e := syscall.SyscallN(procRecv.Addr(), uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), 0)
	if n := int32(r); n >= 0 {
		return int(n), nil
	}
	return -1, e
}

// send é o send do Winsock (o Windows não tem SIGPIPE).
func send(fd int, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r, _, e := syscall.SyscallN(procSend.Addr(), uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), 0)
	if n := int32(r); n >= 0 {
		return int(n), nil
	}
	return -1, e
}

func shutdownWrite(fd int) error  { return windows.Shutdown(windows.Handle(fd), windows.SHUT_WR) }
func closeFd(fd int) error        { return windows.Closesocket(windows.Handle(fd)) }
func socketFd(s *socket.Sock) int { return int(s.Fd()) }

func peername(fd int) (ip [4]byte, port int, ok bool) {
	sa, err := windows.Getpeername(windows.Handle(fd))
	a, isV4 := sa.(*windows.SockaddrInet4)
	if err != nil || !isV4 {
		return ip, 0, false
	}
	return a.Addr, a.Port, true
}

// accept aceita uma conexão (o socket de escuta é não bloqueante: sem
// ninguém na fila, WSAEWOULDBLOCK) e a deixa não bloqueante também, sem
// pedir o endereço do cliente (Conn.RemoteAddr o lê quando precisa).
func accept(lfd int) (int, error) {
	r, _, e := syscall.SyscallN(procAccept.Addr(), uintptr(lfd), 0, 0)
	if windows.Handle(r) == windows.InvalidHandle {
		return -1, e
	}
	on := uint32(1)
	if r2, _, e2 := syscall.SyscallN(procIoctl.Addr(), r, fionbio, uintptr(unsafe.Pointer(&on))); r2 != 0 {
		windows.Closesocket(windows.Handle(r))
		return -1, e2
	}
	return int(r), nil
}

// lostConn: o cliente desistiu (RST) enquanto a conexão esperava na fila;
// a próxima pode estar boa, então o accept segue.
func lostConn(err error) bool { return err == windows.WSAECONNRESET || err == windows.WSAECONNABORTED }

// table liga cada SOCKET à sua conexão. No Windows um SOCKET é um handle, não
// o menor número livre: um mapa, em vez do slice do Unix.
type table map[int]*Conn

func (t table) get(fd int) *Conn { return t[fd] }

func (t *table) put(fd int, c *Conn) {
	if *t == nil {
		*t = table{}
	}
	if c == nil {
		delete(*t, fd)
	} else {
		(*t)[fd] = c
	}
}
