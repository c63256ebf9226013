//go:build !linux

package tcpstat

// ListenQueue só existe no Linux (inet_diag); aqui devolve um erro.
func ListenQueue(port int) (Queue, error) { return Queue{RecvQ: -1, SendQ: -1}, errOnlyLinux }

// ReadCounters só existe no Linux (/proc/net); aqui devolve um erro.
func ReadCounters() (Counters, error) { return unknown, errOnlyLinux }

// TimeWait só existe no Linux (/proc/net/tcp); aqui devolve -1 e um erro.
func TimeWait(port int) (int, error) { return -1, errOnlyLinux }
