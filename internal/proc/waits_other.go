//go:build !linux

package proc

import "errors"

// WaitChannels só é suportado no Linux.
func WaitChannels(pid int) (Waits, error) {
	return nil, errors.New("onde cada thread dorme (wchan) só o Linux informa")
}
