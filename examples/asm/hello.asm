# Counts down from 10 in a loop and returns 55 = 10+9+...+1.
# Run: ./seccomp-ebpf exec examples/asm/hello.asm
mov %r0, 0
mov %r1, 10
loop:
add %r0, %r1
sub %r1, 1
jne %r1, 0, loop
exit
